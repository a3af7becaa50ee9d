using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace McpFleet.Kubernetes.Tests;

public sealed class FleetDeployerTests
{
    private sealed class Recorder : IDeployProgress
    {
        public ConcurrentQueue<string> Waits { get; } = new();

        public TaskCompletionSource FirstWait { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Waiting(PhaseManifest phase, string server, RolloutState state)
        {
            Waits.Enqueue($"{server}: {state.Reason}");
            FirstWait.TrySetResult();
        }
    }

    private static async Task<DeployResult> DeployAsync(FakeApiServer api, FleetManifest fleet, DeployOptions options, IDeployProgress? progress = null, TimeProvider? time = null)
    {
        using var cluster = api.CreateCluster();
        var deployer = new FleetDeployer(cluster, time ?? TimeProvider.System, new FleetSmoke(cluster));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await deployer.DeployAsync(fleet, options, progress ?? NoDeployProgress.Instance, cts.Token);
    }

    [Fact]
    public async Task DeployAsync_TwoPhases_AppliesPhaseTwoOnlyAfterPhaseOneIsAvailable()
    {
        await using var api = await FakeApiServer.StartAsync();
        var violations = new ConcurrentQueue<string>();
        api.OnApplied = (path, obj) =>
        {
            var phase = obj["metadata"]?["labels"]?["mcpfleet.io/phase"]?.GetValue<string>();
            if (phase == "2")
            {
                foreach (var first in new[] { "mcp-a", "mcp-b" })
                {
                    var d = api.Get(FakeApiServer.DeploymentPath(TestFleet.Namespace, first));
                    if (d?["status"]?["availableReplicas"]?.GetValue<int>() != 2)
                    {
                        violations.Enqueue($"{obj["kind"]}/{obj["metadata"]!["name"]} applied while {first} is not Available");
                    }
                }
            }

            if (obj["kind"]!.GetValue<string>() == "Deployment")
            {
                var name = obj["metadata"]!["name"]!.GetValue<string>();
                // A rollout that takes a moment: a deployer that did not wait would apply phase 2 in this window.
                _ = Task.Run(async () =>
                {
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                    api.MarkAvailable(TestFleet.Namespace, name);
                });
            }
        };

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions());

        Assert.True(result.Success, result.Failure?.Reason);
        Assert.Equal([1, 2], result.CompletedPhases);
        Assert.Empty(violations);
        var timeline = api.Timeline.ToList();
        var lastPhaseOne = Math.Max(timeline.IndexOf("available Deployment/mcp-a"), timeline.IndexOf("available Deployment/mcp-b"));
        var firstPhaseTwo = timeline.IndexOf("apply ConfigMap/mcp-c-config");
        Assert.True(lastPhaseOne >= 0 && firstPhaseTwo > lastPhaseOne, string.Join("\n", timeline));
        Assert.Equal("apply Namespace/fleet-ns", timeline[0]);
    }

    [Fact]
    public async Task DeployAsync_ServerSideApply_UsesApplyPatchFieldManagerAndNoForce()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions());

        Assert.True(result.Success, result.Failure?.Reason);
        var patches = api.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(1 + (3 * 4), patches.Count);
        Assert.All(patches, p =>
        {
            Assert.StartsWith("application/apply-patch+yaml", p.ContentType);
            Assert.Equal("mcpfleet", p.Query["fieldManager"]);
            Assert.False(p.Query.ContainsKey("force"));
            Assert.False(p.Query.ContainsKey("dryRun"));
        });
        Assert.Contains(patches, p => p.Path == "/apis/policy/v1/namespaces/fleet-ns/poddisruptionbudgets/mcp-a");
        Assert.Contains(patches, p => p.Path == "/api/v1/namespaces/fleet-ns");
        Assert.Contains(api.Requests, r => r.Method == "GET" && r.Query.GetValueOrDefault("watch") is "true" or "1");
    }

    [Fact]
    public async Task DeployAsync_ForceConflicts_SendsForce()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { ForceConflicts = true });

        Assert.True(result.Success);
        Assert.All(api.Requests.Where(r => r.Method == "PATCH"), p => Assert.Equal("true", p.Query["force"]));
    }

    [Fact]
    public async Task DeployAsync_DryRun_SendsDryRunAllAndStoresNothing()
    {
        await using var api = await FakeApiServer.StartAsync();

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { DryRun = true });

        Assert.True(result.Success, result.Failure?.Reason);
        Assert.Equal([1, 2], result.CompletedPhases);
        var patches = api.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(13, patches.Count);
        Assert.All(patches, p => Assert.Equal("All", p.Query["dryRun"]));
        Assert.Empty(api.Paths());
    }

    [Fact]
    public async Task DeployAsync_SecondRun_ChangesNothing()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var fleet = TestFleet.TwoPhases();

        Assert.True((await DeployAsync(api, fleet, new DeployOptions())).Success);
        var first = api.Paths().ToDictionary(p => p, p => api.Get(p)!.ToJsonString());
        var second = await DeployAsync(api, fleet, new DeployOptions());

        Assert.True(second.Success, second.Failure?.Reason);
        var after = api.Paths().ToDictionary(p => p, p => api.Get(p)!.ToJsonString());
        Assert.Equal(first, after);
        Assert.Equal(1, api.Get(FakeApiServer.DeploymentPath(TestFleet.Namespace, "mcp-a"))!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeployAsync_ChangedImage_BumpsGenerationAndWaitsForTheNewOne()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        Assert.True((await DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1)])), new DeployOptions())).Success);

        var result = await DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1, image: "example/mcp:v2")])), new DeployOptions());

        Assert.True(result.Success, result.Failure?.Reason);
        var d = api.Get(FakeApiServer.DeploymentPath(TestFleet.Namespace, "mcp-a"))!;
        Assert.Equal(2, d["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(2, d["status"]!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeployAsync_RolloutNeverAvailable_TimesOutWithPodsEventsAndLogs()
    {
        await using var api = await FakeApiServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        api.OnApplied = (path, obj) =>
        {
            if (obj["kind"]!.GetValue<string>() != "Deployment")
            {
                return;
            }

            var name = obj["metadata"]!["name"]!.GetValue<string>();
            if (name == "mcp-b")
            {
                api.MarkAvailable(TestFleet.Namespace, name);
                return;
            }

            api.MarkStuck(TestFleet.Namespace, name);
            api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/pods", TestFleet.Pod("mcp-a-7d9f-x1", "mcp-a", "CrashLoopBackOff", 4));
            api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/pods", TestFleet.Pod("mcp-a-7d9f-x2", "mcp-a", "ImagePullBackOff", 0));
            api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/events", Event("e1", "mcp-a-7d9f-x1", "BackOff", "Back-off restarting failed container a in pod mcp-a-7d9f-x1"));
            api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/events", Event("e2", "mcp-a-7d9f-x2", "Failed", "Failed to pull image \"example/mcp:v1.0.0\": not found"));
            api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/events", Event("e3", "mcp-a-7d9f", "FailedCreate", "pods \"mcp-a-7d9f-x3\" is forbidden: exceeded quota"));
            api.PodLogs["mcp-a-7d9f-x1"] = "starting\nloading config\nUnhandled exception: SECRET_X is not set\n";
        };
        var progress = new Recorder();
        var deploy = DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { Timeout = TimeSpan.FromMinutes(5) }, progress, time);

        await progress.FirstWait.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => progress.Waits.Contains("mcp-a: 0 of 2 replicas ready") && progress.Waits.Any(w => w.StartsWith("mcp-b", StringComparison.Ordinal)));
        time.Advance(TimeSpan.FromMinutes(5));
        var result = await deploy;

        Assert.False(result.Success);
        var failure = result.Failure!;
        Assert.Equal(1, failure.Phase);
        Assert.Contains("timed out after 5m", failure.Reason, StringComparison.Ordinal);
        var server = Assert.Single(failure.Servers);
        Assert.Equal("a", server.Server);
        Assert.Equal("0 of 2 replicas ready", server.State);
        Assert.Equal(["mcp-a-7d9f-x1", "mcp-a-7d9f-x2"], server.Pods.Select(p => p.Name));
        Assert.Equal("Running: CrashLoopBackOff", server.Pods[0].Status);
        Assert.Equal(4, server.Pods[0].Restarts);
        Assert.Contains(server.Pods[0].Events, e => e.Contains("BackOff", StringComparison.Ordinal));
        Assert.Equal("Unhandled exception: SECRET_X is not set", server.Pods[0].LogTail[^1]);
        Assert.Equal("Pending: ImagePullBackOff", server.Pods[1].Status);
        Assert.Contains(server.Pods[1].Events, e => e.Contains("Failed to pull image", StringComparison.Ordinal));
        Assert.Empty(server.Pods[1].LogTail);
        Assert.Contains(server.Events, e => e.Contains("exceeded quota", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Timeline, t => t.Contains("mcp-c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployAsync_ApiServerEndsTheWatch_WatchesAgainUntilAvailable()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.EndWatchesAfterSnapshot = true;
        api.OnApplied = (path, obj) =>
        {
            if (obj["kind"]!.GetValue<string>() == "Deployment")
            {
                var name = obj["metadata"]!["name"]!.GetValue<string>();
                // Available only once the deployer has had to open a second watch.
                _ = Task.Run(async () =>
                {
                    await FleetDeployerTests.WaitUntilAsync(() => api.Requests.Count(r => r.Query.ContainsKey("watch")) >= 2);
                    api.MarkAvailable(TestFleet.Namespace, name);
                });
            }
        };

        var result = await DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1)])), new DeployOptions());

        Assert.True(result.Success, result.Failure?.Reason);
        Assert.True(api.Requests.Count(r => r.Query.ContainsKey("watch")) >= 2);
    }

    [Fact]
    public async Task DeployAsync_ProgressDeadlineExceeded_FailsWithoutWaitingForTheTimeout()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.OnApplied = (path, obj) =>
        {
            if (obj["kind"]!.GetValue<string>() == "Deployment")
            {
                api.SetDeploymentStatus(TestFleet.Namespace, obj["metadata"]!["name"]!.GetValue<string>(), (o, status) =>
                {
                    status["observedGeneration"] = 1;
                    status["conditions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                    {
                        ["type"] = "Progressing", ["status"] = "False", ["reason"] = "ProgressDeadlineExceeded",
                        ["message"] = "ReplicaSet \"mcp-a-1\" has timed out progressing.",
                    });
                });
            }
        };

        var result = await DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1)])), new DeployOptions { Timeout = TimeSpan.FromHours(1) });

        Assert.Equal("a rollout failed", result.Failure?.Reason);
        Assert.Contains("progress deadline exceeded", result.Failure!.Servers[0].State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployAsync_Prune_DeletesOnlyManagedObjectsOfThisFleetThatTheSpecDropped()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var cms = $"/api/v1/namespaces/{TestFleet.Namespace}/configmaps";
        api.Put(cms, ConfigMap("mcp-old-config", TestFleet.Labels("old", 1)));
        api.Put(cms, ConfigMap("other-fleet-config", TestFleet.Labels("x", 1, fleet: "other")));
        var helm = TestFleet.Labels("h", 1);
        helm["app.kubernetes.io/managed-by"] = "Helm";
        api.Put(cms, ConfigMap("helm-config", helm));
        api.Put(cms, ConfigMap("unlabelled", []));
        api.Put($"/apis/apps/v1/namespaces/{TestFleet.Namespace}/deployments", new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "mcp-old", NamespaceProperty = TestFleet.Namespace, Labels = TestFleet.Labels("old", 1) },
        });
        IReadOnlyList<ObjectRef>? asked = null;

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions
        {
            Prune = true,
            ConfirmPrune = (objects, _) => { asked = objects; return Task.FromResult(true); },
        });

        Assert.True(result.Success, result.Failure?.Reason);
        Assert.Equal(["ConfigMap/mcp-old-config", "Deployment/mcp-old"], asked!.Select(o => o.ToString()));
        Assert.Equal(asked, result.Pruned);
        var paths = api.Paths();
        Assert.DoesNotContain($"{cms}/mcp-old-config", paths);
        Assert.DoesNotContain(FakeApiServer.DeploymentPath(TestFleet.Namespace, "mcp-old"), paths);
        Assert.Contains($"{cms}/other-fleet-config", paths);
        Assert.Contains($"{cms}/helm-config", paths);
        Assert.Contains($"{cms}/unlabelled", paths);
        Assert.Contains($"{cms}/mcp-a-config", paths);
    }

    [Fact]
    public async Task DeployAsync_PruneDeclined_DeletesNothing()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        api.Put($"/api/v1/namespaces/{TestFleet.Namespace}/configmaps", ConfigMap("mcp-old-config", TestFleet.Labels("old", 1)));

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { Prune = true, ConfirmPrune = (_, _) => Task.FromResult(false) });

        Assert.True(result.PruneDeclined);
        Assert.DoesNotContain(api.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task DeployAsync_PhaseAndFromPhase_ApplyOnlyTheSelectedPhases()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();

        var only = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { Phase = 2 });
        Assert.Equal([2], only.CompletedPhases);
        Assert.DoesNotContain(api.Timeline, t => t.Contains("mcp-a", StringComparison.Ordinal));

        var from = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { FromPhase = 1 });
        Assert.Equal([1, 2], from.CompletedPhases);
    }

    [Fact]
    public async Task DeployAsync_SmokeMismatch_FailsThePhase()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2);
        api.Services["mcp-b"] = new FakeMcpServer(tools: 1);

        var result = await DeployAsync(api, TestFleet.TwoPhases(), new DeployOptions { Smoke = true });

        Assert.Equal("the smoke check failed", result.Failure?.Reason);
        var bad = Assert.Single(result.Failure!.Servers);
        Assert.Equal("b", bad.Server);
        Assert.Contains("tools/list returned 1 tools, server-config.json says 2", bad.State, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Timeline, t => t.Contains("mcp-c", StringComparison.Ordinal));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    internal static Corev1Event Event(string name, string involved, string reason, string message) => new()
    {
        ApiVersion = "v1", Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = TestFleet.Namespace },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = involved, NamespaceProperty = TestFleet.Namespace },
        Reason = reason, Message = message, Type = "Warning", Count = 3,
        LastTimestamp = new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc),
    };

    internal static V1ConfigMap ConfigMap(string name, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1", Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = TestFleet.Namespace, Labels = labels },
    };

    [Fact]
    public async Task DeployAsync_FleetWithGateway_AppliesTheGatewayAfterEveryPhaseIsAvailable()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var spec = McpFleet.Spec.FleetLoader.Load(Path.Combine(McpFleet.Tests.Golden.RepoRoot(), "examples", "sophia-ai-gateway")).Spec!;
        var manifest = FleetPlans.ToManifest(McpFleet.Rendering.FleetRenderer.Render(McpFleet.Spec.FleetResolver.Resolve(spec)));

        var result = await DeployAsync(api, manifest, new DeployOptions());

        Assert.True(result.Success, result.Failure?.Reason);
        Assert.Equal([1, 2, 3, 4, 5], result.CompletedPhases);
        var timeline = api.Timeline.ToList();
        var lastServer = timeline.FindLastIndex(e => e.StartsWith("available Deployment/", StringComparison.Ordinal) && e != "available Deployment/mcp-gateway");
        var gatewayFirst = timeline.FindIndex(e => e.StartsWith("apply ", StringComparison.Ordinal) && e.Contains("/mcp-gateway", StringComparison.Ordinal));
        Assert.True(lastServer >= 0 && gatewayFirst > lastServer, string.Join("\n", timeline));
        Assert.Contains("apply ConfigMap/mcp-gateway-config", timeline);
        Assert.Contains("apply ExternalSecret/mcp-gateway-secrets", timeline);
    }
}
