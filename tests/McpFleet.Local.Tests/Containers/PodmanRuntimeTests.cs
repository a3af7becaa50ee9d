using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using McpFleet.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Local.Tests.Containers;

/// <summary>The images of eng/images.sh, pulled back from the registry.</summary>
[Collection(PodmanTests.Name)]
public sealed class ImageTests(ContainerImages images)
{
    // Each image's AOT binary (not `dotnet x.dll`) and version: the servers' own Version, the project's for the proxy and gateway.
    private static readonly Dictionary<string, (string Entrypoint, string Version)> s_expected = new(StringComparer.Ordinal)
    {
        ["conformance"] = ("/app/McpFleet.Servers.Conformance", "1.0.0"),
        ["notes"] = ("/app/McpFleet.Servers.Notes", "1.0.0"),
        ["proxy"] = ("/app/mcpfleet-proxy", "0.1.0"),
        ["gateway"] = ("/app/mcpfleet-gateway", "0.1.0"),
    };

    [Fact]
    public async Task Images_PulledBackFromRegistry_AreNativeAotNonRootWithTagAndOciLabels()
    {
        var ct = TestContext.Current.CancellationToken;
        var revision = (await ExternalTools.RunAsync("git", ["rev-parse", "HEAD"])).StandardOutput.Trim();
        Assert.Equal(s_expected.Keys.Order(StringComparer.Ordinal), images.References.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, reference) in images.References)
        {
            var (expectedEntrypoint, version) = s_expected[name];
            Assert.EndsWith($":v{version}", reference, StringComparison.Ordinal);
            // Remove the local copy (no container uses it between tests), then pull it back from the registry.
            await images.Podman.RunAsync(ct, "rmi", reference);
            var pull = await images.Podman.RunAsync(ct, "pull", "--quiet", "--tls-verify=false", reference);
            Assert.True(pull.Success, $"podman pull {reference}: {pull.StandardError}");

            var inspect = await images.Podman.RunAsync(ct, "image", "inspect", reference, "--format", "{{json .Config}}");
            Assert.True(inspect.Success, inspect.StandardError);
            using var config = JsonDocument.Parse(inspect.StandardOutput);
            var root = config.RootElement;
            Assert.Equal("65532", root.GetProperty("User").GetString());
            var entrypoint = root.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal([expectedEntrypoint], entrypoint);
            var labels = root.GetProperty("Labels");
            Assert.Equal(version, labels.GetProperty("org.opencontainers.image.version").GetString());
            Assert.StartsWith(revision, labels.GetProperty("org.opencontainers.image.revision").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(labels.GetProperty("org.opencontainers.image.source").GetString()));

            var size = await images.Podman.RunAsync(ct, "image", "inspect", reference, "--format", "{{.Size}}");
            Assert.InRange(long.Parse(size.StandardOutput.Trim(), CultureInfo.InvariantCulture), 1, 80L * 1024 * 1024);
        }
    }
}

/// <summary>Conformance and Notes from rendered manifests, run by <c>podman kube play</c>.</summary>
[Collection(PodmanTests.Name)]
public sealed class FleetInPodmanTests(ContainerImages images)
{
    private static readonly TestServer[] s_fleet =
    [
        new("conformance", "probes:\n  startupFailureThreshold: 15"),
        new("notes", "dependsOn: [conformance]\nprobes:\n  startupFailureThreshold: 15"),
    ];

    [Fact]
    public async Task Pods_SecurityContextAndMounts_AreEnforcedByTheRuntime()
    {
        await using var fleet = await RunningFleet.StartAsync(images, "sec", s_fleet);
        Assert.True(fleet.Start.Success, fleet.Start.Error + "\n" + string.Join("\n", fleet.Progress.Lines));
        var ct = TestContext.Current.CancellationToken;
        foreach (var server in fleet.Plan.Servers)
        {
            var inspect = await images.Podman.RunAsync(ct, "inspect", server.ContainerName, "--format",
                "{{.State.Pid}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.Memory}}|{{len .EffectiveCaps}}");
            Assert.True(inspect.Success, inspect.StandardError);
            var fields = inspect.StandardOutput.Trim().Split('|');
            var pid = fields[0];
            Assert.Equal("true", fields[1]);
            Assert.Equal((256L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), fields[2]);
            Assert.Equal("0", fields[3]);

            // Inside: the process's own view, through /proc (the image has no shell to exec into).
            var status = File.ReadAllLines($"/proc/{pid}/status").ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            Assert.Equal("65532\t65532\t65532\t65532", status["Uid"]);
            Assert.Equal("65532\t65532\t65532\t65532", status["Gid"]);
            foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
            {
                Assert.Equal("0000000000000000", status[set]);
            }

            Assert.Equal("1", status["NoNewPrivs"]);
            var mounts = File.ReadAllLines($"/proc/{pid}/mountinfo").Select(l => l.Split(' ')).ToDictionary(f => f[4], f => f[5].Split(','));
            Assert.Contains("ro", mounts["/"]);
            Assert.Contains("ro", mounts[RuntimeContract.ConfigDirectory]);
            Assert.Contains("rw", mounts[RuntimeContract.TempDirectory]);

            var cgroup = File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.Split(':')[1] == "memory").Split(':')[2];
            Assert.Equal("268435456", File.ReadAllText($"/sys/fs/cgroup/memory{cgroup}/memory.limit_in_bytes").Trim());

            var rootDir = $"/proc/{pid}/root";
            var config = File.ReadAllText(rootDir + RuntimeContract.ConfigPath);
            Assert.Contains($"\"name\": \"{server.Name}\"", config, StringComparison.Ordinal);
            Assert.False(Directory.Exists(rootDir + "/var/run/secrets/kubernetes.io"), "a service-account token directory is mounted");
            Assert.False(Directory.Exists(rootDir + "/run/secrets/kubernetes.io"), "a service-account token directory is mounted");

            // As the pod's user: /tmp takes a file, the root filesystem and the config mount do not.
            (await AsPodUserAsync("touch", $"{rootDir}/tmp/probe")).EnsureSuccess();
            Assert.Contains("Read-only file system", (await AsPodUserAsync("touch", $"{rootDir}/app/probe")).StandardError, StringComparison.Ordinal);
            Assert.Contains("Read-only file system", (await AsPodUserAsync("touch", $"{rootDir}{RuntimeContract.ConfigDirectory}/probe")).StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConformanceSuite_ThroughThePublishedPort_PassesAsAProcessDoes()
    {
        await using var fleet = await RunningFleet.StartAsync(images, "suite", s_fleet[0]);
        Assert.True(fleet.Start.Success, fleet.Start.Error);
        var workDir = Directory.CreateTempSubdirectory("mcpfleet-conformance-");
        try
        {
            var result = await ExternalTools.RunAsync(
                ExternalTools.Node,
                [
                    Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "conformance", "dist", "index.js"),
                    "server", "--url", fleet.McpUrl("conformance").ToString(), "--suite", "active",
                    "--expected-failures", Path.Combine(AppContext.BaseDirectory, "conformance-expected-failures.yml"),
                ],
                workingDirectory: workDir.FullName,
                timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.ExitCode == 0, $"conformance suite failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Notes_CallsConformanceByItsClusterDnsName_AndBothLogJsonLinesOnly()
    {
        await using var fleet = await RunningFleet.StartAsync(images, "dns", s_fleet);
        Assert.True(fleet.Start.Success, fleet.Start.Error + "\n" + string.Join("\n", fleet.Progress.Lines));
        var ct = TestContext.Current.CancellationToken;

        // Notes reaches Conformance at CONFORMANCE_MCP_URL, the rendered http://mcp-conformance.<ns>.svc.cluster.local:<port>/mcp.
        var env = await images.Podman.RunAsync(ct, "inspect", fleet.Server("notes").ContainerName, "--format", "{{range .Config.Env}}{{println .}}{{end}}");
        Assert.Contains($"CONFORMANCE_MCP_URL=http://mcp-conformance.{fleet.Plan.Namespace}.svc.cluster.local:9001/mcp", env.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"POD_NAMESPACE={fleet.Plan.Namespace}", env.StandardOutput, StringComparison.Ordinal);

        await using (var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = fleet.McpUrl("notes") }), cancellationToken: ct))
        {
            var result = await client.CallToolAsync("notes_remote_echo", new Dictionary<string, object?> { ["message"] = "from a container" }, cancellationToken: ct);
            Assert.Equal("from a container", result.Content.OfType<TextContentBlock>().Single().Text);
        }

        foreach (var server in fleet.Plan.Servers)
        {
            var logs = await images.Podman.RunAsync(ct, "logs", server.ContainerName);
            var lines = (logs.StandardOutput + logs.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                using var json = JsonDocument.Parse(line);   // throws on any line that is not JSON
                Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), line);
                Assert.True(json.RootElement.TryGetProperty("Timestamp", out _), line);
            }
        }
    }

    [Fact]
    public async Task PodmanStop_UnderLoad_CompletesInFlightCallsAndExitsZeroWithinTheGracePeriod()
    {
        await using var fleet = await RunningFleet.StartAsync(images, "stop", s_fleet[0]);
        Assert.True(fleet.Start.Success, fleet.Start.Error);
        var url = fleet.McpUrl("conformance");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromSeconds(60));   // bound: the load always ends
        var completed = 0;
        var refused = 0;
        var failures = new List<string>();
        var stopIssued = new TaskCompletionSource();
        var unready = new TaskCompletionSource();

        // What a cluster does: once /ready fails the pod leaves the endpoints and gets no new calls. Here a readiness
        // watcher plays kube-proxy: the workers start no call after it saw 503, and every call started before must
        // complete (the server keeps serving for its drain delay after SIGTERM, far longer than one watch period).
        async Task WatchReadyAsync()
        {
            var ready = new Uri(url, RuntimeContract.ReadyPath);
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync(ready, stopLoad.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                await Task.Delay(100, CancellationToken.None);
            }

            unready.TrySetResult();
        }

        async Task WorkerAsync()
        {
            while (!stopLoad.IsCancellationRequested && !unready.Task.IsCompleted)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"load"}}}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Accept.ParseAdd("application/json");
                request.Headers.Accept.ParseAdd("text/event-stream");
                try
                {
                    using var response = await http.SendAsync(request, stopLoad.Token);
                    var body = await response.Content.ReadAsStringAsync(stopLoad.Token);
                    if (response.StatusCode == HttpStatusCode.OK && body.Contains("\"text\":\"load\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref completed);
                    }
                    else
                    {
                        lock (failures)
                        {
                            failures.Add($"{(int)response.StatusCode}: {body}");
                        }
                    }
                }
                catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && stopIssued.Task.IsCompleted)
                {
                    // Not in flight: the server had closed its listener before this call connected. Load is done.
                    Interlocked.Increment(ref refused);
                    return;
                }
                catch (OperationCanceledException) when (stopLoad.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    lock (failures)
                    {
                        failures.Add(e.ToString());
                    }
                }
            }
        }

        var watcher = Task.Run(WatchReadyAsync, TestContext.Current.CancellationToken);
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(WorkerAsync, TestContext.Current.CancellationToken)).ToList();
        while (Volatile.Read(ref completed) < 200 && failures.Count == 0 && !stopLoad.IsCancellationRequested)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var before = Volatile.Read(ref completed);
        stopIssued.SetResult();
        var watch = Stopwatch.StartNew();
        var stopped = await fleet.Runner.StopAsync(fleet.Plan, TestContext.Current.CancellationToken);
        watch.Stop();
        await Task.WhenAll(workers);
        await stopLoad.CancelAsync();
        await watcher;

        var result = Assert.Single(stopped);
        Assert.True(failures.Count == 0, $"{failures.Count} calls failed, e.g.:\n{string.Join("\n", failures.Take(3))}");
        Assert.True(unready.Task.IsCompleted, "/ready never turned 503 during the stop");
        Assert.True(completed > before, $"no call completed during the drain ({before} before the stop, {completed} after)");
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Error);
        // The drain delay (2 s in the fleet env) passed, and the stop ended well inside the 30 s grace period.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(RuntimeContract.Shutdown.TerminationGracePeriodSeconds));
        TestContext.Current.SendDiagnosticMessage($"stop under load: {before} calls before, {completed} in all, {refused} refused after close, stop {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static Task<ToolResult> AsPodUserAsync(string command, string path) =>
        ExternalTools.RunAsync("setpriv", ["--reuid", "65532", "--regid", "65532", "--clear-groups", command, path]);
}

/// <summary>A server that does not start is reported by name, with the reason.</summary>
[Collection(PodmanTests.Name)]
public sealed class FailedStartTests(ContainerImages images)
{
    [Fact]
    public async Task Start_ServerThatExitsAtStart_IsReportedWithItsExitCodeAndLastLogLine()
    {
        // An explicit config path that does not exist (through the options' configuration key, since MCPFLEET_CONFIG_PATH
        // is set by McpFleet itself and lint refuses it): the server prints one line and exits 2.
        await using var fleet = await RunningFleet.StartAsync(images, "crash", new TestServer("conformance", "env:\n  McpFleet__ConfigPath: /app/config/missing.json"));
        Assert.False(fleet.Start.Success);
        Assert.True(fleet.Start.FailedServer == "conformance", fleet.Start.Error);
        Assert.Contains("crashed at start: exit code 2", fleet.Start.Error, StringComparison.Ordinal);
        Assert.Contains("missing.json", fleet.Start.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServerThatNeverBecomesReady_IsReportedAfterItsStartupBudget()
    {
        // Notes without Conformance: its dependency check keeps /ready at 503. Startup budget 2 s x 3.
        await using var fleet = await RunningFleet.StartAsync(images, "unready", new TestServer("notes", "probes:\n  startupFailureThreshold: 3"));
        Assert.False(fleet.Start.Success);
        Assert.True(fleet.Start.FailedServer == "notes", fleet.Start.Error);
        Assert.True(fleet.Start.Error!.Contains("never became ready within 6 s", StringComparison.Ordinal), fleet.Start.Error);
        Assert.Contains("/ready answered 503", fleet.Start.Error, StringComparison.Ordinal);
    }
}
