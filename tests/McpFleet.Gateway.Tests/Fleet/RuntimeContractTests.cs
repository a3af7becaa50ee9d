using System.Net;
using System.Text.Json.Nodes;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>The runtime contract of every McpFleet server holds for the gateway: Origin checks, the body limit, probes without auth.</summary>
public sealed class RuntimeContractTests
{
    [Fact]
    public async Task Mcp_ForeignOriginOrOversizedBody_RefusedBeforeAuthProbesNeedNoKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["auth"] = new JsonObject { ["callers"] = new JsonArray(new JsonObject { ["name"] = "c", ["apiKeyEnv"] = "C_KEY" }) },
        }, new Dictionary<string, string> { ["C_KEY"] = "c-key-0123456789abcdef" });

        using var origin = await gateway.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", r => r.Headers.Add("Origin", "https://evil.example"), ct);
        Assert.Equal(HttpStatusCode.Forbidden, origin.StatusCode);

        var padding = new string('a', 5 * 1024 * 1024);
        using var large = await gateway.PostMcpAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":\"" + padding + "\"}}", cancellationToken: ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Process.ReadyAsync()).Status);
        using var health = await gateway.Http.GetAsync("/health", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("mcpfleet_gateway_upstream_up", await gateway.Process.MetricsAsync(), StringComparison.Ordinal);
        using var status = await gateway.Http.GetAsync("/status", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
    }
}
