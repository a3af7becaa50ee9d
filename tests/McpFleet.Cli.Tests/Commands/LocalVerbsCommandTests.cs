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
        var exit = await SmokeWhenReadyAsync(up, upError, stop, processes: 2);

        Assert.Equal(0, await up.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.True(exit == 0, StdOut.Output + StdErr.Output);
        Assert.Contains(StdOut.Lines, l => l.StartsWith("a ", StringComparison.Ordinal) && l.Contains(" 200 ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains(StdOut.Lines, l => l.StartsWith("b ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains("2 servers ok", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmokeLocal_FleetWithGateway_ChecksEveryServerAndEachOnesToolsThroughTheGateway()
    {
        // Two Conformance servers (McpFleet.Hosting, 14 tools each) behind the gateway, as a and b.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var conformance = Path.Combine(McpFleet.Tests.Golden.RepoRoot(), "servers", "Conformance", "bin", configuration, "net10.0", "McpFleet.Servers.Conformance.dll");
        var run = $"run:\n  command: dotnet\n  args: [\"{conformance}\"]\nenv:\n  McpFleet__DrainDelay: \"00:00:00\"\n";
        UpProcess.WriteFleet(Fleet, [("core", ["a", "b"])], new Dictionary<string, string> { ["a"] = run, ["b"] = run });
        foreach (var name in new[] { "a", "b" })
        {
            var values = Path.Combine(Fleet, "values", name + ".yaml");
            File.WriteAllText(values, File.ReadAllText(values).Replace("tools: 1", "tools: 14", StringComparison.Ordinal));
        }

        File.AppendAllText(Path.Combine(Fleet, "fleet.yaml"), "\ngateway: {}\n");
        var gateway = Path.Combine(McpFleet.Tests.Golden.RepoRoot(), "src", "McpFleet.Gateway", "bin", configuration, "net10.0", "mcpfleet-gateway");
        Assert.True(File.Exists(gateway), $"{gateway} is missing: build tests/McpFleet.Cli.Tests (it references McpFleet.Gateway).");
        using var upOut = new TestConsole();
        using var upError = new TestConsole();
        using var stop = new CancellationTokenSource();
        Environment.SetEnvironmentVariable("MCPFLEET_GATEWAY", gateway);
        Task<int> up;
        try
        {
            up = McpFleetCli.RunAsync(["up", Fleet, "--local", "--any-port", "--quiet"], Context(upOut, upError, Temp), stop.Token);
        }
        finally
        {
            // Read once, when up plans the run; no other test looks for a gateway.
            Environment.SetEnvironmentVariable("MCPFLEET_GATEWAY", null);
        }

        var exit = await SmokeWhenReadyAsync(up, upError, stop, processes: 3);

        Assert.Equal(0, await up.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.True(exit == 0, StdOut.Output + StdErr.Output);
        Assert.Matches(@"gateway: ready at http://127\.0\.0\.1:\d+/mcp", upError.Output);
        Assert.Contains(StdOut.Lines, l => l.StartsWith("gateway ", StringComparison.Ordinal) && l.Contains(" 28 ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains(StdOut.Lines, l => l.StartsWith("gateway/a ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains(StdOut.Lines, l => l.StartsWith("gateway/b ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains("5 servers ok", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpLocal_GatewayExecutableMissing_Exits2SayingWhere()
    {
        WriteFleet();
        File.AppendAllText(Path.Combine(Fleet, "fleet.yaml"), "\ngateway: {}\n");
        Environment.SetEnvironmentVariable("MCPFLEET_GATEWAY", Path.Combine(Temp, "no-such-gateway"));
        int exit;
        try
        {
            exit = await RunAsync(Temp, "up", Fleet, "--local");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MCPFLEET_GATEWAY", null);
        }

        Assert.Equal(2, exit);
        Assert.Equal($"error: the fleet has a gateway, but MCPFLEET_GATEWAY={Path.Combine(Temp, "no-such-gateway")} names no file.", StdErr.Output.Trim());
    }

    /// <summary>Waits until the running up has <paramref name="processes"/> ready rows, runs smoke --local, then stops up.</summary>
    private async Task<int> SmokeWhenReadyAsync(Task<int> up, TestConsole upError, CancellationTokenSource stop, int processes)
    {
        try
        {
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                while (LocalState.Read(LocalState.DefaultPath(Fleet)) is not { } state || state.Servers.Count < processes || !state.Servers.All(s => s.Ready))
                {
                    Assert.False(up.IsCompleted, upError.Output);
                    await Task.Delay(100, bound.Token);
                }
            }

            return await RunAsync(Temp, "smoke", Fleet, "--local");
        }
        finally
        {
            await stop.CancelAsync();
        }
    }
}
