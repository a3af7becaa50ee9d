namespace McpFleet.Kubernetes.Tests;

/// <summary><see cref="FleetSmoke"/> through the fake API server's service proxy.</summary>
public sealed class FleetSmokeTests
{
    [Fact]
    public async Task CheckAsync_ToolCountsMatch_AllOkThroughTheServiceProxy()
    {
        await using var api = await FakeApiServer.StartAsync();
        var fleet = TestFleet.TwoPhases();
        await TestFleet.DeployAsync(api, fleet);
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
        await TestFleet.DeployAsync(api, fleet);
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
        await TestFleet.DeployAsync(api, fleet);
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2, readyPath: "healthz");
        var server = fleet.Servers.First(s => s.Name == "a") with { ReadyPath = "/healthz" };

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster).CheckAsync(TestFleet.Namespace, [server], TestContext.Current.CancellationToken);

        Assert.True(results[0].Ok, results[0].Describe());
        Assert.Contains(api.Requests, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-a:mcp/proxy/healthz" && r.Method == "GET");
        Assert.DoesNotContain(api.Requests, r => r.Path.EndsWith("mcp-a:mcp/proxy/ready", StringComparison.Ordinal));
    }
}
