using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace McpFleet.Kubernetes.Tests;

/// <summary><see cref="FleetStatus"/> against the fake API server.</summary>
public sealed class FleetStatusTests
{
    [Fact]
    public async Task GetAsync_MixedFleet_RowsPerPhaseAndNotReadyWhenAnyIsNot()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.Create(
            ("core", [TestFleet.Server("a", 1), TestFleet.Server("b", 1)]),
            ("advanced", [TestFleet.Server("c", 2)]));
        await TestFleet.DeployAsync(api, TestFleet.Create(("core", [TestFleet.Server("a", 1), TestFleet.Server("b", 1)])));
        api.MarkStuck(TestFleet.Namespace, "mcp-b");
        var ns = TestFleet.Namespace;
        api.Put($"/api/v1/namespaces/{ns}/pods", TestFleet.Pod("mcp-a-1", "mcp-a", "", 0, "Running"));
        api.Put($"/api/v1/namespaces/{ns}/pods", TestFleet.Pod("mcp-b-1", "mcp-b", "CrashLoopBackOff", 7));
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
