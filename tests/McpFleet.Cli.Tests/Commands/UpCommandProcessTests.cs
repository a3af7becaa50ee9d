using System.Diagnostics;
using System.Globalization;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>
/// <c>mcpfleet up --local</c> as a real process receiving real signals: the drain in reverse phase order, the kill at
/// the grace bound, a second signal, and <c>kill -9</c> of <c>up</c>; after each, no process of the fleet is left.
/// </summary>
public sealed class UpCommandProcessTests : IDisposable
{
    private readonly DirectoryInfo _fleet = Directory.CreateTempSubdirectory("mcpfleet-up-process-");

    public void Dispose() => _fleet.Delete(recursive: true);

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private UpProcess Up(params string[] options) =>
        UpProcess.Start(_fleet.FullName, ["up", _fleet.FullName, "--local", "--any-port", .. options]);

    [Fact]
    public async Task Up_Sigterm_DrainsInReversePhaseOrderKillsAtTheBoundAndLeavesNoProcess()
    {
        // Phase one drains for 2 s; phase two has a server that ignores SIGTERM and one run under sh -c with a child
        // that ignores SIGTERM too.
        var wrapped = $"(trap '' TERM; exec sleep 300) & echo sleeper $!; dotnet {Quote(UpProcess.TestServerDll)}";
        UpProcess.WriteFleet(_fleet.FullName, [("one", ["drainer"]), ("two", ["stubborn", "wrapped"])], new Dictionary<string, string>
        {
            ["drainer"] = UpProcess.TestServer(("DRAIN_SECONDS", "2")),
            ["stubborn"] = UpProcess.TestServer(("IGNORE_SIGTERM", "1")),
            ["wrapped"] = $"""
                run:
                  command: sh
                  args: ["-c", "{wrapped.Replace("\"", "\\\"", StringComparison.Ordinal)}"]
                """,
        });
        await using var up = Up("--grace-period", "4");
        await up.WaitForLineAsync("phase 2 two: ready");
        var sleeper = int.Parse((await up.WaitForLineAsync("[wrapped] sleeper "))["[wrapped] sleeper ".Length..], CultureInfo.InvariantCulture);
        var pids = up.ServerPids().Append(sleeper).ToList();
        var clock = Stopwatch.StartNew();

        up.Signal("TERM");
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var lines = up.Lines.ToList();
        int Index(string prefix) => lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(exit == 0, up.Output);
        Assert.True(Index("stubborn: stopping pid") >= 0 && Index("stubborn: stopping pid") < Index("drainer: stopping pid"), up.Output);
        Assert.True(Index("wrapped: stopping pid") >= 0 && Index("wrapped: stopping pid") < Index("drainer: stopping pid"), up.Output);
        Assert.True(Index("stubborn: pid") >= 0 && lines[Index("stubborn: pid")].EndsWith("still running after 4s; killing it", StringComparison.Ordinal), up.Output);
        Assert.True(Index("[drainer] drained") > Index("drainer: stopping pid"), up.Output);
        Assert.Equal("every server stopped", lines[^1]);
        // Phase two waits out its 4 s grace, then phase one drains for 2 s: well inside one pod's 30 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), clock.Elapsed.ToString());
        await ProcessTable.AssertAllGoneAsync(pids, TimeSpan.FromSeconds(5));
        await ProcessTable.AssertNoneInDirectoryAsync(_fleet.FullName, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Up_Sigint_DrainsAndExits0()
    {
        // Longer than the 2 s after which System.CommandLine used to end the process.
        UpProcess.WriteFleet(_fleet.FullName, [("core", ["a"])], new Dictionary<string, string> { ["a"] = UpProcess.TestServer(("DRAIN_SECONDS", "3")) });
        await using var up = Up();
        await up.WaitForLineAsync("phase 1 core: ready");
        var pids = up.ServerPids();

        up.Signal("INT");
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, up.Output);
        Assert.Contains("[a] drained", up.Lines);
        Assert.Equal("every server stopped", up.Lines[^1]);
        await ProcessTable.AssertAllGoneAsync(pids, TimeSpan.FromSeconds(5));
        await ProcessTable.AssertNoneInDirectoryAsync(_fleet.FullName, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Up_SecondSignal_StopsAtOnceWithoutAnExceptionAndLeavesNoProcess()
    {
        UpProcess.WriteFleet(_fleet.FullName, [("core", ["stubborn"])], new Dictionary<string, string> { ["stubborn"] = UpProcess.TestServer(("IGNORE_SIGTERM", "1")) });
        await using var up = Up("--grace-period", "300");
        await up.WaitForLineAsync("phase 1 core: ready");
        var pids = up.ServerPids();

        up.Signal("TERM");
        await up.WaitForLineAsync("stubborn: stopping pid");
        up.Signal("TERM");
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(143, exit);
        Assert.Contains("SIGTERM again: stopping now without waiting", up.Lines);
        Assert.DoesNotContain(up.Lines, l => l.Contains("Unhandled exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        await ProcessTable.AssertAllGoneAsync(pids, TimeSpan.FromSeconds(10));
        await ProcessTable.AssertNoneInDirectoryAsync(_fleet.FullName, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Up_KilledWithSigkill_LeavesNoServerProcess()
    {
        var wrapped = $"sleep 300 & echo sleeper $!; dotnet {Quote(UpProcess.TestServerDll)}";
        UpProcess.WriteFleet(_fleet.FullName, [("core", ["a", "wrapped"])], new Dictionary<string, string>
        {
            ["a"] = UpProcess.TestServer(("IGNORE_SIGTERM", "1")),
            ["wrapped"] = $"""
                run:
                  command: sh
                  args: ["-c", "{wrapped}"]
                """,
        });
        await using var up = Up();
        await up.WaitForLineAsync("phase 1 core: ready");
        var sleeper = int.Parse((await up.WaitForLineAsync("[wrapped] sleeper "))["[wrapped] sleeper ".Length..], CultureInfo.InvariantCulture);
        var pids = up.ServerPids().Append(sleeper).ToList();
        Assert.All(pids, p => Assert.False(ProcessTable.IsGone(p)));

        up.Signal("KILL");
        await up.WaitForExitAsync(TimeSpan.FromSeconds(30));

        await ProcessTable.AssertAllGoneAsync(pids, TimeSpan.FromSeconds(10));
        await ProcessTable.AssertNoneInDirectoryAsync(_fleet.FullName, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Up_SecondUpOfTheSameFleet_SaysOneIsRunningAndNamesItsPid()
    {
        UpProcess.WriteFleet(_fleet.FullName, [("core", ["a"])], new Dictionary<string, string> { ["a"] = UpProcess.TestServer() });
        await using var first = Up();
        await first.WaitForLineAsync("phase 1 core: ready");

        await using var second = Up();
        var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, exit);
        Assert.Contains($"error: 'mcpfleet up --local' is already running this fleet (pid {first.Pid}); stop it first (Ctrl-C there, or kill {first.Pid}).", second.Lines);
        Assert.Empty(second.ServerPids());
        first.Signal("TERM");
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Up_AfterKill9OfAnEarlierUp_RemovesItsStaleStateAndStarts()
    {
        UpProcess.WriteFleet(_fleet.FullName, [("core", ["a"])], new Dictionary<string, string> { ["a"] = UpProcess.TestServer() });
        int killed;
        await using (var first = Up())
        {
            await first.WaitForLineAsync("phase 1 core: ready");
            killed = first.Pid;
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = Up();
        await second.WaitForLineAsync("phase 1 core: ready");
        second.Signal("TERM");

        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"note: removed what an earlier 'mcpfleet up --local' (pid {killed}) left behind; it did not exit cleanly", second.Lines);
    }
}
