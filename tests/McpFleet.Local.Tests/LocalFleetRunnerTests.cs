using System.Diagnostics;
using McpFleet.Local;
using McpFleet.Local.State;
using McpFleet.Spec;

namespace McpFleet.Local.Tests;

public sealed class LocalFleetRunnerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-local-test-");

    public void Dispose() => _dir.Delete(recursive: true);


    private static string ServerDll => Path.Combine(AppContext.BaseDirectory, "McpFleet.LocalTestServer.dll");

    private static LocalServerPlan Server(string name, int tools, params string[] dependsOn) => new(
        name, "1.0.0", 0, new LocalRunSpec("dotnet", [ServerDll]),
        [new("ENVIRONMENT", "test"), new("POD_NAMESPACE", "ignored")], dependsOn, $"{{\n  \"name\": \"{name}\",\n  \"tools\": {tools}\n}}\n");

    private LocalRunOptions Options => new()
    {
        AnyPort = true,
        HealthPeriod = TimeSpan.FromMilliseconds(200),
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        ReadyTimeout = TimeSpan.FromSeconds(60),
        GracePeriod = TimeSpan.FromSeconds(20),
        StateFile = Path.Combine(_dir.FullName, "state.json"),
    };



    [Fact]
    public async Task RunAsync_TwoPhases_StartsInOrderRestartsAKilledServerAndDrainsInReverse()
    {
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName,
        [
            new LocalPhasePlan(1, "core", [Server("a", tools: 3)]),
            new LocalPhasePlan(2, "advanced", [Server("b", tools: 1, "a")]),
        ]);
        var progress = new LocalRecorder();
        var options = Options;
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        using var http = new HttpClient();
        var pids = new List<int>();
        try
        {
            var state = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers.Count == 2 && s.Servers.All(x => x.Ready), run, progress);
            var a = state.Servers[0];
            var b = state.Servers[1];
            pids.AddRange([a.Pid!.Value, b.Pid!.Value]);
            Assert.Equal(pids.Order(), LocalTestSupport.ProcessesIn(_dir.FullName).Order());

            // Phase order: b starts only after a answers /ready.
            Assert.True(progress.IndexOf("a: ready") >= 0 && progress.IndexOf("a: ready") < progress.IndexOf("b: started"), string.Join("\n", progress.Events));
            // b reaches a through A_MCP_URL, and gets the env and config the renderer would give it.
            Assert.Equal($"http://127.0.0.1:{a.Port}/mcp", await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/env/A_MCP_URL"), TestContext.Current.CancellationToken));
            Assert.Equal("3", await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/dep"), TestContext.Current.CancellationToken));
            Assert.Equal("test", await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/env/ENVIRONMENT"), TestContext.Current.CancellationToken));
            Assert.Equal(b.MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/env/METRICS_PORT"), TestContext.Current.CancellationToken));
            Assert.Equal("", await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/env/POD_NAMESPACE"), TestContext.Current.CancellationToken));
            Assert.NotEqual(a.MetricsPort, b.MetricsPort);

            // A killed process comes back, as a kubelet would bring back a container.
            using (var victim = Process.GetProcessById(a.Pid!.Value))
            {
                victim.Kill();
            }

            var restarted = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0] is { Restarts: 1, Ready: true, Pid: { } p } && p != a.Pid, run, progress);
            pids.Add(restarted.Servers[0].Pid!.Value);
            Assert.Contains(progress.Events, e => e.StartsWith("a: exited with code", StringComparison.Ordinal));
            Assert.Equal("3", await http.GetStringAsync(new Uri($"http://127.0.0.1:{b.Port}/dep"), TestContext.Current.CancellationToken));
        }
        finally
        {
            await cts.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        Assert.All(pids, pid => Assert.True(LocalTestSupport.IsGone(pid), $"pid {pid} is still running"));
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
        Assert.True(progress.IndexOf("b: stopping pid") < progress.IndexOf("a: stopping pid"), string.Join("\n", progress.Events));
        Assert.False(File.Exists(options.StateFile));
    }

    [Fact]
    public async Task RunAsync_HealthFailsThreeTimes_TerminatesAndRestartsTheServer()
    {
        var failFile = Path.Combine(_dir.FullName, "unhealthy");
        var server = Server("a", tools: 1) with { Environment = [new("ENVIRONMENT", "test"), new("HEALTH_FAIL_FILE", failFile)] };
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName, [new LocalPhasePlan(1, "core", [server])]);
        var progress = new LocalRecorder();
        var options = Options;
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        var pids = new List<int>();
        try
        {
            var first = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0].Ready, run, progress);
            pids.Add(first.Servers[0].Pid!.Value);
            await File.WriteAllTextAsync(failFile, "", TestContext.Current.CancellationToken);

            await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0].Restarts == 1, run, progress);
            File.Delete(failFile);
            var second = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0] is { Ready: true, Pid: { } p } && p != first.Servers[0].Pid, run, progress);
            pids.Add(second.Servers[0].Pid!.Value);
        }
        finally
        {
            await cts.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        Assert.Contains(progress.Events, e => e.StartsWith("a: /health failed 3 times; restarting", StringComparison.Ordinal));
        // The hung process was asked to stop (SIGTERM) rather than killed outright.
        Assert.Contains(progress.Events, e => e == $"a: stopping pid {pids[0]} (SIGTERM)");
        Assert.All(pids, pid => Assert.True(LocalTestSupport.IsGone(pid), $"pid {pid} is still running"));
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
    }

    [Fact]
    public async Task RunAsync_ServerNeverReady_FailsThePhaseAndLeavesNoProcess()
    {
        // a's process exits at once (its dll does not exist), so phase 1 never becomes ready and b never starts.
        var broken = new LocalFleetPlan("local-fleet", _dir.FullName,
        [
            new LocalPhasePlan(1, "core", [Server("a", tools: 1) with { Run = new LocalRunSpec("dotnet", ["does-not-exist.dll"]) }]),
            new LocalPhasePlan(2, "advanced", [Server("b", tools: 1, "a")]),
        ]);
        var progress = new LocalRecorder();
        // One start within the bound (the restart waits a minute), so the phase fails on the bound, naming what it got.
        var options = Options with { ReadyTimeout = TimeSpan.FromSeconds(4), InitialBackoff = TimeSpan.FromMinutes(1) };

        var result = await new LocalFleetRunner(TimeProvider.System, progress).RunAsync(broken, options, TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Equal("phase 1 (core): a did not answer /ready within 4s (its process exited with code 1)", result.Error);
        Assert.Equal(-1, progress.IndexOf("b: started"));
        Assert.Contains(progress.Events, e => e.StartsWith("a: exited with code", StringComparison.Ordinal));
        Assert.False(File.Exists(options.StateFile));
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
    }

    private async Task<(LocalRunResult Result, LocalRecorder Progress, TimeSpan Elapsed)> RunToFailureAsync(LocalServerPlan server, LocalRunOptions options)
    {
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName, [new LocalPhasePlan(1, "core", [server])]);
        var progress = new LocalRecorder();
        var clock = Stopwatch.StartNew();
        var result = await new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
        return (result, progress, clock.Elapsed);
    }

    private static LocalServerPlan WithEnv(LocalServerPlan server, params (string Name, string Value)[] env) =>
        server with { Environment = [new("ENVIRONMENT", "test"), .. env.Select(e => new KeyValuePair<string, string>(e.Name, e.Value))] };

    [Theory]
    [InlineData(null, "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public async Task RunAsync_BindAddress_LoopbackUnlessAskedOverTheSpecsEnv(string? option, string expected)
    {
        // The spec's env asks for every interface; only the runner's option decides locally.
        var server = WithEnv(Server("a", tools: 1), ("McpFleet__BindAddress", "0.0.0.0"));
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName, [new LocalPhasePlan(1, "core", [server])]);
        var options = option is null ? Options : Options with { BindAddress = option };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        using var http = new HttpClient();
        try
        {
            var state = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0].Ready, run, progress);

            Assert.Equal(expected, await http.GetStringAsync(new Uri($"http://127.0.0.1:{state.Servers[0].Port}/env/McpFleet__BindAddress"), TestContext.Current.CancellationToken));
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Success);
    }

    [Theory]
    [InlineData("404", "HTTP 404")]
    [InlineData("503", "HTTP 503: not ready: the database is down (asked for 503)")]
    public async Task RunAsync_ReadyNeverAnswers200_ErrorNamesWhatItGot(string status, string got)
    {
        var (result, _, _) = await RunToFailureAsync(WithEnv(Server("a", tools: 1), ("READY_STATUS", status)), Options with { ReadyTimeout = TimeSpan.FromSeconds(5) });

        Assert.Equal($"phase 1 (core): a did not answer /ready within 5s ({got})", result.Error);
    }

    [Fact]
    public async Task RunAsync_NothingListens_ErrorSaysConnectionRefused()
    {
        var server = Server("a", tools: 1) with { Run = new LocalRunSpec("sleep", ["300"]) };

        var (result, _, _) = await RunToFailureAsync(server, Options with { ReadyTimeout = TimeSpan.FromSeconds(3) });

        Assert.Equal("phase 1 (core): a did not answer /ready within 3s (connection refused)", result.Error);
    }

    [Fact]
    public async Task RunAsync_ServerProbePaths_UsedForReadiness()
    {
        // /ready answers 404, the server's own readiness path answers 200.
        var server = WithEnv(Server("a", tools: 1), ("READY_STATUS", "404")) with { ReadyPath = "/env/ENVIRONMENT", HealthPath = "/env/ENVIRONMENT" };
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName, [new LocalPhasePlan(1, "core", [server])]);
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, Options, cts.Token);
        try
        {
            await LocalTestSupport.WaitForStateAsync(Options.StateFile!, s => s.Servers[0] is { Ready: true, State: "ready" }, run, progress);
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Success);
    }

    [Fact]
    public async Task RunAsync_ServerExitsAtStart_FailsAfterThreeExitsNamingTheCode()
    {
        // The startup bound is a minute; three exits end the wait long before it.
        var (result, progress, elapsed) = await RunToFailureAsync(WithEnv(Server("a", tools: 1), ("EXIT_CODE", "3")), Options with { ReadyTimeout = TimeSpan.FromMinutes(1) });

        Assert.Equal("phase 1 (core): a exited with code 3 three times", result.Error);
        Assert.True(elapsed < TimeSpan.FromSeconds(50), elapsed.ToString());
        Assert.Contains("[a] exiting with 3 as asked", progress.Lines);
    }

    [Fact]
    public async Task RunAsync_CommandNotFound_FailsAtOnceSayingSo()
    {
        var server = Server("a", tools: 1) with { Run = new LocalRunSpec("mcpfleet-no-such-server", []) };

        var (result, _, elapsed) = await RunToFailureAsync(server, Options with { ReadyTimeout = TimeSpan.FromMinutes(1) });

        Assert.Equal("phase 1 (core): a cannot start 'mcpfleet-no-such-server': No such file or directory", result.Error);
        Assert.True(elapsed < TimeSpan.FromSeconds(50), elapsed.ToString());
    }

    [Fact]
    public async Task RunAsync_RestartedServer_ShownReadyWithinTheStartupPeriodNotTheLivenessPeriod()
    {
        var plan = new LocalFleetPlan("local-fleet", _dir.FullName, [new LocalPhasePlan(1, "core", [Server("a", tools: 1)])]);
        // A liveness period longer than the wait below: only the startup period can show the new process ready.
        var options = Options with { HealthPeriod = TimeSpan.FromMinutes(5), StartupPeriod = TimeSpan.FromMilliseconds(200) };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        try
        {
            var first = await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0].Ready, run, progress);
            using (var victim = Process.GetProcessById(first.Servers[0].Pid!.Value))
            {
                victim.Kill();
            }

            await LocalTestSupport.WaitForStateAsync(options.StateFile!, s => s.Servers[0] is { Restarts: 1, Ready: true, Pid: { } p } && p != first.Servers[0].Pid, run, progress);
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Success);
    }
}
