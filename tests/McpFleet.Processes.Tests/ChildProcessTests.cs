using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using McpFleet.Tests;

namespace McpFleet.Processes.Tests;

/// <summary><see cref="ChildProcess"/> with real processes: sh, sleep, cat, and a parent killed with SIGKILL.</summary>
public sealed class ChildProcessTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ChildProcessOptions Sh(string script, ConcurrentQueue<string>? lines = null) => new("sh", ["-c", script])
    {
        OutputLine = lines is null ? null : lines.Enqueue,
    };

    /// <summary>Waits until <paramref name="lines"/> holds <paramref name="count"/> lines (pids the script echoed).</summary>
    private static async Task<List<int>> PidsAsync(ConcurrentQueue<string> lines, int count)
    {
        using var bound = new CancellationTokenSource(s_bound);
        while (lines.Count < count)
        {
            await Task.Delay(20, bound.Token);
        }

        return lines.Take(count).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
    }

    [Fact]
    public async Task WaitForExitAsync_CommandExits3_ReportsExitCode3()
    {
        await using var child = await ChildProcess.StartAsync(Sh("exit 3"), Token);

        var exit = await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);

        Assert.Equal(new ChildExit(3, null), exit);
        Assert.Equal("exited with code 3", exit.ToString());
    }

    [Fact]
    public async Task WaitForExitAsync_CommandKilledBySigterm_ReportsTheSignal()
    {
        await using var child = await ChildProcess.StartAsync(Sh("kill -TERM $$; sleep 5"), Token);

        var exit = await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);

        Assert.Equal(15, exit.Signal);
        Assert.Equal(143, exit.Code);
        Assert.Equal("exited with code 143 (SIGTERM)", exit.ToString());
    }

    [Fact]
    public async Task StartAsync_OutputAndErrorLines_EveryLineDeliveredBeforeExit()
    {
        var output = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var options = Sh("for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf 'last'", output) with { ErrorLine = errors.Enqueue };

        await using var child = await ChildProcess.StartAsync(options, Token);
        await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);

        Assert.Equal(["out1", "out2", "out3", "last"], output);
        Assert.Equal(["err1", "err2", "err3"], errors);
    }

    [Fact]
    public async Task StartAsync_PipedStdinAndStdout_RoundTripBinaryBytes()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await using var child = await ChildProcess.StartAsync(new ChildProcessOptions("cat", [])
        {
            StandardInput = ChildStdio.Pipe,
            StandardOutput = ChildStdio.Pipe,
        }, Token);

        var read = Task.Run(async () =>
        {
            using var copy = new MemoryStream();
            await child.StandardOutput.CopyToAsync(copy, Token);
            return copy.ToArray();
        }, Token);
        await child.StandardInput.WriteAsync(bytes, Token);
        await child.StandardInput.DisposeAsync();

        Assert.Equal(bytes, await read.WaitAsync(s_bound, Token));
        Assert.Equal(0, (await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token)).ExitCode);
    }

    [Fact]
    public async Task StartAsync_WorkingDirectoryAndEnvironment_AppliedToTheCommand()
    {
        var directory = Directory.CreateTempSubdirectory("mcpfleet-child-");
        try
        {
            var lines = new ConcurrentQueue<string>();
            var options = Sh("pwd; echo \"${CHILD_TEST_SET}-${HOME:+home}-${CHILD_TEST_REMOVED:-removed}\"", lines) with
            {
                WorkingDirectory = directory.FullName,
                Environment = new Dictionary<string, string?> { ["CHILD_TEST_SET"] = "set", ["CHILD_TEST_REMOVED"] = null },
            };
            Environment.SetEnvironmentVariable("CHILD_TEST_REMOVED", "inherited");

            await using var child = await ChildProcess.StartAsync(options, Token);
            await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);

            Assert.Equal([directory.FullName, "set-home-removed"], lines);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CHILD_TEST_REMOVED", null);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_MissingCommand_ThrowsNamingTheCommand()
    {
        var e = await Assert.ThrowsAsync<Win32Exception>(() => ChildProcess.StartAsync(new ChildProcessOptions("mcpfleet-no-such-command", []), Token));

        Assert.Equal("cannot start 'mcpfleet-no-such-command': No such file or directory", e.Message);
    }

    [Fact]
    public async Task StartAsync_MissingWorkingDirectory_ThrowsNamingTheDirectory()
    {
        var e = await Assert.ThrowsAsync<Win32Exception>(() => ChildProcess.StartAsync(new ChildProcessOptions("true", []) { WorkingDirectory = "/nonexistent/dir" }, Token));

        Assert.Contains("cannot enter the working directory /nonexistent/dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Command_RunsInItsOwnSessionAndProcessGroup()
    {
        await using var child = await ChildProcess.StartAsync(Sh("sleep 300"), Token);

        var command = ProcessTable.Read(child.Id);
        var self = ProcessTable.Read(Environment.ProcessId)!;
        Assert.NotNull(command);
        Assert.Equal(child.ProcessGroupId, command.ProcessGroup);
        Assert.Equal(child.ProcessGroupId, command.Session);
        Assert.NotEqual(self.ProcessGroup, command.ProcessGroup);
        Assert.NotEqual(self.Session, command.Session);
    }

    [Fact]
    public async Task StopAsync_ShellWithBackgroundChildren_KillsTheWholeGroup()
    {
        var lines = new ConcurrentQueue<string>();
        await using var child = await ChildProcess.StartAsync(Sh("sleep 300 & echo $!; sleep 301 & echo $!; wait", lines), Token);
        var pids = await PidsAsync(lines, 2);

        var exit = await child.StopAsync(TimeSpan.FromSeconds(20), Token).WaitAsync(s_bound, Token);

        Assert.Equal(15, exit.Signal);
        await ProcessTable.AssertAllGoneAsync([child.Id, child.ProcessGroupId, .. pids], TimeSpan.FromSeconds(5));
        Assert.Empty(ProcessTable.InGroup(child.ProcessGroupId));
    }

    [Fact]
    public async Task StopAsync_CommandIgnoresSigterm_KilledAtTheBound()
    {
        var lines = new ConcurrentQueue<string>();
        await using var child = await ChildProcess.StartAsync(Sh("trap '' TERM; sleep 300 & echo $!; while :; do wait; done", lines), Token);
        var pids = await PidsAsync(lines, 1);
        var clock = Stopwatch.StartNew();

        var exit = await child.StopAsync(TimeSpan.FromSeconds(1), Token).WaitAsync(s_bound, Token);

        Assert.Equal(9, exit.Signal);
        Assert.Equal("exited with code 137 (SIGKILL)", exit.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        await ProcessTable.AssertAllGoneAsync([child.Id, .. pids], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StopAsync_Cancelled_KillsAtOnce()
    {
        var lines = new ConcurrentQueue<string>();
        await using var child = await ChildProcess.StartAsync(Sh("trap '' TERM; echo $$; while :; do sleep 1; done", lines), Token);
        await PidsAsync(lines, 1);
        using var force = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var exit = await child.StopAsync(TimeSpan.FromMinutes(5), force.Token).WaitAsync(s_bound, Token);

        Assert.Equal(9, exit.Signal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task WaitForExitAsync_CommandLeavesABackgroundProcess_KilledWithTheCommand()
    {
        var lines = new ConcurrentQueue<string>();
        await using var child = await ChildProcess.StartAsync(Sh("sleep 300 & echo $!; exit 0", lines), Token);

        var exit = await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);

        Assert.Equal(0, exit.ExitCode);
        await ProcessTable.AssertAllGoneAsync(await PidsAsync(lines, 1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitForExitAsync_ShimKilledAlone_CommandKilledToo()
    {
        await using var child = await ChildProcess.StartAsync(Sh("sleep 300"), Token);

        using (var shim = Process.GetProcessById(child.ProcessGroupId))
        {
            shim.Kill();
        }

        var exit = await child.WaitForExitAsync(Token).WaitAsync(s_bound, Token);
        Assert.Equal(9, exit.Signal);
        await ProcessTable.AssertAllGoneAsync([child.Id], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DisposeAsync_RunningChild_KillsTheGroup()
    {
        var lines = new ConcurrentQueue<string>();
        var child = await ChildProcess.StartAsync(Sh("sleep 300 & echo $!; wait", lines), Token);
        var pids = await PidsAsync(lines, 1);

        await child.DisposeAsync().AsTask().WaitAsync(s_bound, Token);

        Assert.True(child.HasExited);
        await ProcessTable.AssertAllGoneAsync([child.Id, .. pids], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ParentKilledWithSigkill_CommandAndEveryProcessItStartedDie()
    {
        // The parent is a separate small program (dotnet McpFleet.ChildProcessParent.dll), so it can be killed with
        // SIGKILL without taking the test host along.
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "McpFleet.ChildProcessParent.dll"), "sh", "-c", "sleep 300 & echo $!; sh -c 'sleep 302 & echo $!; wait' & wait" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var parent = Process.Start(info)!;
        var lines = new ConcurrentQueue<string>();
        parent.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        parent.BeginOutputReadLine();
        var pids = new List<int>();
        try
        {
            using (var bound = new CancellationTokenSource(s_bound))
            {
                while (lines.Count < 3)
                {
                    await Task.Delay(20, bound.Token);
                }
            }

            foreach (var line in lines)
            {
                var words = line.Split(' ');
                pids.AddRange(words[0] == "child" ? [int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture)] : [int.Parse(line, CultureInfo.InvariantCulture)]);
            }

            Assert.Equal(4, pids.Count);
            Assert.All(pids, p => Assert.False(ProcessTable.IsGone(p), $"{p} is not running"));

            parent.Kill();
            await parent.WaitForExitAsync(Token);

            await ProcessTable.AssertAllGoneAsync(pids, TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }

            foreach (var pid in pids.Where(p => !ProcessTable.IsGone(p)))
            {
                Process.GetProcessById(pid).Kill();
            }
        }
    }
}
