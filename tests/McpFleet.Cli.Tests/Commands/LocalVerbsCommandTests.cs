using McpFleet.Cli;
using McpFleet.Local.State;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>status --local and smoke --local against a running (in-process) up --local, and with none running.</summary>
public sealed class LocalVerbsCommandTests() : CliHarness("mcpfleet-local-verbs-")
{
    private string Fleet => Path.Combine(Temp, "fleet");

    private void WriteFleet() => UpProcess.WriteFleet(Fleet, [("core", ["a", "b"])], new Dictionary<string, string>
    {
        ["a"] = UpProcess.TestServer(),
        ["b"] = UpProcess.TestServer(),
    });

    [Fact]
    public async Task StatusLocal_NothingRunningForDot_SaysSoWithoutADoublePeriod()
    {
        WriteFleet();

        var exit = await RunAsync(Fleet, "status", ".", "--local");

        Assert.Equal(1, exit);
        Assert.Equal("error: no 'mcpfleet up --local' is running for '.'.", StdErr.Output.Trim());
    }

    [Fact]
    public async Task SmokeLocal_NothingRunning_Exits3()
    {
        WriteFleet();

        Assert.Equal(3, await RunAsync(Temp, "smoke", Fleet, "--local"));
        Assert.Contains("no 'mcpfleet up --local' is running", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmokeLocal_RunningFleet_ChecksReadyAndToolsListOfEveryServer()
    {
        WriteFleet();
        using var upOut = new TestConsole();
        using var upError = new TestConsole();
        using var stop = new CancellationTokenSource();
        var up = McpFleetCli.RunAsync(["up", Fleet, "--local", "--any-port", "--quiet"], Context(upOut, upError, Temp), stop.Token);
        int exit;
        try
        {
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                while (LocalState.Read(LocalState.DefaultPath(Fleet)) is not { } state || !state.Servers.All(s => s.Ready))
                {
                    Assert.False(up.IsCompleted, upError.Output);
                    await Task.Delay(100, bound.Token);
                }
            }

            exit = await RunAsync(Temp, "smoke", Fleet, "--local");
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await up.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.True(exit == 0, StdOut.Output + StdErr.Output);
        Assert.Contains(StdOut.Lines, l => l.StartsWith("a ", StringComparison.Ordinal) && l.Contains(" 200 ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains(StdOut.Lines, l => l.StartsWith("b ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains("2 servers ok", StdErr.Output, StringComparison.Ordinal);
    }
}
