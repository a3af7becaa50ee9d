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

    [Fact]
    public async Task CheckAsync_Gateway_ListsToolsThroughItsServiceAndReportsEachReadyFrontedServer()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2);
        api.Services["mcp-b"] = new FakeMcpServer(tools: 1);
        api.Services["mcp-c"] = new FakeMcpServer(tools: 1, readyStatus: 503);
        api.Services["mcp-gateway"] = new FakeMcpServer(tools: 0, toolNames: ["a_tool0", "a_tool1", "c_tool0"]);
        var gateway = new ServerManifest("gateway", 9020, [])
        {
            Fronts = [new GatewayRoute("a", "a", "/ready"), new GatewayRoute("b", "b", "/ready"), new GatewayRoute("c", "c", "/ready")],
        };

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster, new MinutePerReading()).CheckAsync(TestFleet.Namespace, [gateway], TestContext.Current.CancellationToken);

        // c is not ready, so its own check fails and the gateway is not asked for it; b is ready but contributes nothing.
        Assert.Equal(["gateway", "gateway/a", "gateway/b"], results.Select(r => r.Server));
        Assert.True(results[0].Ok, results[0].Describe());
        Assert.Equal(3, results[0].ToolsListed);
        Assert.True(results[1].Ok, results[1].Describe());
        Assert.Equal(2, results[1].ToolsListed);
        Assert.False(results[2].Ok);
        Assert.Equal("the gateway lists no tool of b (none named b_…)", results[2].Describe());
        var proxied = api.Requests.Where(r => r.Path.Contains("/proxy/", StringComparison.Ordinal)).ToList();
        Assert.Contains(proxied, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-gateway:mcp/proxy/mcp" && r.Body.Contains("\"tools/list\"", StringComparison.Ordinal));
        Assert.Contains(proxied, r => r.Path == "/api/v1/namespaces/fleet-ns/services/mcp-c:mcp/proxy/ready");
    }

    [Fact]
    public async Task CheckAsync_GatewayDown_OneRowSaysWhy()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2);
        api.Services["mcp-gateway"] = new FakeMcpServer(tools: 0, readyStatus: 503);
        var gateway = new ServerManifest("gateway", 9020, []) { Fronts = [new GatewayRoute("a", "a", "/ready")] };

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster, new MinutePerReading()).CheckAsync(TestFleet.Namespace, [gateway], TestContext.Current.CancellationToken);

        Assert.False(results[0].Ok);
        Assert.Equal("/ready answered 503", results[0].Describe());
    }

    [Fact]
    public async Task CheckAsync_GatewayWithAuth_AnonymousListRefusedWith401IsItsOneOkRow()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Services["mcp-a"] = new FakeMcpServer(tools: 2);
        api.Services["mcp-gateway"] = new FakeMcpServer(tools: 0, toolNames: ["a_tool0"], bearerToken: "caller-key");
        var gateway = new ServerManifest("gateway", 9020, []) { Fronts = [new GatewayRoute("a", "a", "/ready")] };

        using var cluster = api.CreateCluster();
        var results = await new FleetSmoke(cluster, new MinutePerReading()).CheckAsync(TestFleet.Namespace, [gateway], TestContext.Current.CancellationToken);

        // The API server's proxy passes no caller's credential on, so 401 is what a gateway with auth must answer.
        var row = Assert.Single(results);
        Assert.True(row.Ok, row.Describe());
        Assert.Equal(FleetSmoke.AuthNote, row.Note);
        Assert.StartsWith("ok (auth on: it refused an anonymous tools/list with 401", row.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("caller-key", true)]
    [InlineData("another-key", false)]
    public async Task CheckGatewayAsync_Credential_ListsTheFederatedToolsOrSaysItWasRefused(string token, bool accepted)
    {
        await using var api = await FakeApiServer.StartAsync();
        var gateway = new FakeMcpServer(tools: 0, toolNames: ["a_tool0", "a_tool1"], bearerToken: "caller-key");
        api.Services["mcp-gateway"] = gateway;
        using var cluster = api.CreateCluster();
        Task<HttpResponseMessage> Send(HttpRequestMessage r, CancellationToken ct) => cluster.ProxyAsync(TestFleet.Namespace, "mcp-gateway", "mcp", r, ct);

        var results = await FleetSmoke.CheckGatewayAsync("gateway", "/ready", Send, [new GatewayRoute("a", "a", "/ready")], TestContext.Current.CancellationToken, bearerToken: token);

        if (accepted)
        {
            Assert.Equal(["gateway", "gateway/a"], results.Select(r => r.Server));
            Assert.All(results, r => Assert.True(r.Ok, r.Describe()));
            Assert.Equal(2, results[1].ToolsListed);
        }
        else
        {
            var row = Assert.Single(results);
            Assert.False(row.Ok);
            Assert.Equal($"it refused the credential in {FleetSmoke.GatewayTokenVariable} (401): is it a caller's key or a JWT it accepts?", row.Describe());
        }
    }

    [Fact]
    public void ToManifest_FleetWithGateway_AppendsItAsTheLastStepWithItsFrontedServers()
    {
        var spec = McpFleet.Spec.FleetLoader.Load(Path.Combine(McpFleet.Tests.Golden.RepoRoot(), "examples", "sophia-ai-gateway")).Spec!;
        var rendered = McpFleet.Rendering.FleetRenderer.Render(McpFleet.Spec.FleetResolver.Resolve(spec));

        var manifest = FleetPlans.ToManifest(rendered);

        var last = manifest.Phases[^1];
        Assert.Equal((5, "gateway"), (last.Number, last.Name));
        var gateway = Assert.Single(last.Servers);
        Assert.Equal(["mcp-gateway"], gateway.DeploymentNames);
        Assert.Equal(16, gateway.Fronts!.Count);
        Assert.Contains(new GatewayRoute("postgres", "pg", "/ready"), gateway.Fronts);
        Assert.All(manifest.Phases.SkipLast(1).SelectMany(p => p.Servers), s => Assert.Null(s.Fronts));
    }

    /// <summary>A clock that moves a minute each time it is read, so a settle wait ends after one more try.</summary>
    private sealed class MinutePerReading : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerMinute);
    }
}
