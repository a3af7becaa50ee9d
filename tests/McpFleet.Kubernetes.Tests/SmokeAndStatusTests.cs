using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace McpFleet.Kubernetes.Tests;

public sealed class SmokeAndStatusTests
{
    private static async Task DeployAsync(FakeApiServer api, FleetManifest fleet)
    {
        api.AutoRollout();
        using var cluster = api.CreateCluster();
        var result = await new FleetDeployer(cluster, TimeProvider.System).DeployAsync(fleet, new DeployOptions(), NoDeployProgress.Instance, TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Failure?.Reason);
    }

    [Fact]
    public async Task CheckAsync_ToolCountsMatch_AllOkThroughTheServiceProxy()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.TwoPhases();
        await DeployAsync(api, fleet);
        foreach (var s in new[] { "mcp-a", "mcp-b", "mcp-c" })
        {
            api.Services[s] = new FakeMcpServer(tools: 2);
        }

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster).CheckAsync(TestFleet.Namespace, fleet.Servers, TestContext.Current.CancellationToken);

        Assert.All(results, r => Assert.True(r.Ok, r.Describe()));
        Assert.Equal(["a", "b", "c"], results.Select(r => r.Server));
        var proxied = api.Requests.Where(r => r.Path.Contains("/proxy/", StringComparison.Ordinal)).ToList();
        Assert.Contains(proxied, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-a:mcp/proxy/ready" && r.Method == "GET");
        Assert.Contains(proxied, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-a:mcp/proxy/mcp" && r.Body.Contains("\"initialize\"", StringComparison.Ordinal));
        Assert.Contains(proxied, r => r.Body.Contains("\"tools/list\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_ToolCountMismatchAndUnreadyServer_Reported()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.TwoPhases();
        await DeployAsync(api, fleet);
        api.Services["mcp-a"] = new FakeMcpServer(tools: 5);
        api.Services["mcp-b"] = new FakeMcpServer(tools: 2, readyStatus: 503);

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster).CheckAsync(TestFleet.Namespace, fleet.Servers, TestContext.Current.CancellationToken);

        Assert.Equal("tools/list returned 5 tools, server-config.json says 2", results[0].Describe());
        Assert.False(results[0].Ok);
        Assert.Equal("/ready answered 503", results[1].Describe());
        Assert.False(results[2].Ok);
        Assert.Contains("HTTP 503", results[2].Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ServerWithItsOwnReadyPath_ProbesThatPath()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.TwoPhases();
        await DeployAsync(api, fleet);
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2, readyPath: "healthz");
        var server = fleet.Servers.First(s => s.Name == "a") with { ReadyPath = "/healthz" };

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster).CheckAsync(TestFleet.Namespace, [server], TestContext.Current.CancellationToken);

        Assert.True(results[0].Ok, results[0].Describe());
        Assert.Contains(api.Requests, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-a:mcp/proxy/healthz" && r.Method == "GET");
        Assert.DoesNotContain(api.Requests, r => r.Path.EndsWith("mcp-a:mcp/proxy/ready", StringComparison.Ordinal));
    }

    [Fact]
    public void SseData_MultiLineAndSeveralEvents_JoinsDataLines()
    {
        var events = McpProbe.SseData("event: message\ndata: {\"a\":\ndata: 1}\n\n: comment\ndata: {\"b\":2}\r\n\r\n");

        Assert.Equal(["{\"a\":\n1}", "{\"b\":2}"], events);
    }

    [Fact]
    public async Task GetAsync_MixedFleet_RowsPerPhaseAndNotReadyWhenAnyIsNot()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.Create(
            ("core", [TestFleet.Server("a", 1), TestFleet.Server("b", 1)]),
            ("advanced", [TestFleet.Server("c", 2)]));
        await DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1), TestFleet.Server("b", 1)])));
        api.MarkStuck(TestFleet.Namespace, "mcp-b");
        var ns = TestFleet.Namespace;
        api.Put($"/api/v1/namespaces/{ns}/pods", FleetDeployerTests.Pod("mcp-a-1", "mcp-a", "", 0, "Running"));
        api.Put($"/api/v1/namespaces/{ns}/pods", FleetDeployerTests.Pod("mcp-b-1", "mcp-b", "CrashLoopBackOff", 7));
        api.Put($"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = "mcp-a-hpa", NamespaceProperty = ns },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                MinReplicas = 2, MaxReplicas = 10,
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "mcp-a" },
            },
            Status = new V2HorizontalPodAutoscalerStatus { CurrentReplicas = 3, DesiredReplicas = 3 },
        });
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T02:30:00Z", CultureInfo.InvariantCulture));

        using var cluster = api.CreateCluster();
        var report = await new FleetStatus(cluster, time).GetAsync(fleet, TestContext.Current.CancellationToken);

        Assert.False(report.AllReady);
        Assert.Equal(["a", "b", "c"], report.Rows.Select(r => r.Server));
        var a = report.Rows[0];
        Assert.True(a.IsReady);
        Assert.Equal(("1.0.0", "example/mcp:v1.0.0", 2, 2, 2, 2), (a.Version, a.Image, a.Desired, a.Updated, a.Ready, a.Available));
        Assert.Equal(new HpaStatus(3, 2, 10), a.Hpa);
        Assert.Equal(TimeSpan.FromHours(2.5), a.Age);
        var b = report.Rows[1];
        Assert.False(b.IsReady);
        Assert.Equal(7, b.Restarts);
        Assert.Equal("0 of 2 replicas ready", b.State);
        Assert.Equal((2, "not deployed", false), (report.Rows[2].Phase, report.Rows[2].State, report.Rows[2].IsReady));
    }
}
