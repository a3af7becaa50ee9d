using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Sessions;

/// <summary>Sessions kept in the ids clients hold: any gateway with the key routes them, another key or caller is refused.</summary>
public sealed class SessionTests
{
    private const string AliceKey = "alice-key-0123456789abcdef";
    private const string BobKey = "bob-key-0123456789abcdef";
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private const string Echo = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"stateful_echo","arguments":{"message":"in session"}}}""";

    [Fact]
    public async Task SessionId_SecondGatewayWithSameKey_RoutesItAnotherKeyOrCallerGets404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackFleet.StartConformance("stateful", environment: new Dictionary<string, string> { ["MCP_SESSION_MODE"] = "stateful" }).WaitReadyAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var first = await StartGatewayAsync(upstream, key);
        await using var second = await StartGatewayAsync(upstream, key);
        await using var other = await StartGatewayAsync(upstream, otherKey);

        using var init = await first.PostMcpAsync(Initialize, Bearer(AliceKey), ct);
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var sessionId = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));

        // The second process never saw this session: the id itself carries alice's session at the stateful upstream.
        using var routed = await second.PostMcpAsync(Echo, r => { Bearer(AliceKey)(r); r.Headers.Add("Mcp-Session-Id", sessionId); }, ct);
        var text = await routed.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Contains("in session", text, StringComparison.Ordinal);

        using var otherKeyAnswer = await other.PostMcpAsync(Echo, r => { Bearer(AliceKey)(r); r.Headers.Add("Mcp-Session-Id", sessionId); }, ct);
        Assert.Equal(HttpStatusCode.NotFound, otherKeyAnswer.StatusCode);
        Assert.Contains("Session not found", await otherKeyAnswer.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var otherCaller = await second.PostMcpAsync(Echo, r => { Bearer(BobKey)(r); r.Headers.Add("Mcp-Session-Id", sessionId); }, ct);
        Assert.Equal(HttpStatusCode.NotFound, otherCaller.StatusCode);

        var tampered = sessionId[..^2] + (sessionId[^2] == 'A' ? "B" : "A") + sessionId[^1];
        using var forged = await second.PostMcpAsync(Echo, r => { Bearer(AliceKey)(r); r.Headers.Add("Mcp-Session-Id", tampered); }, ct);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        // DELETE at the second gateway ends alice's session at the upstream: the first gateway's next call says so.
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/mcp");
        Bearer(AliceKey)(delete);
        delete.Headers.Add("Mcp-Session-Id", sessionId);
        using var deleted = await second.Http.SendAsync(delete, ct);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await first.PostMcpAsync(Echo, r => { Bearer(AliceKey)(r); r.Headers.Add("Mcp-Session-Id", sessionId); }, ct);
        Assert.Contains("no longer knows this session", await gone.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_NoSessionKey_StatelessWithoutSessionId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackFleet.StartConformance("plain").WaitReadyAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "plain", ["url"] = upstream.McpUrl.ToString() }),
        });
        await gateway.WaitForUpstreamAsync("plain", "up");
        using var init = await gateway.PostMcpAsync(Initialize, cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        Assert.False(init.Headers.Contains("Mcp-Session-Id"));
        var body = await init.Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("listChanged", body, StringComparison.Ordinal); // no channel for it without sessions
    }

    [Fact]
    public async Task SessionId_ManyRequestsAtOnce_EveryOneIsServed()
    {
        // An SDK client opens its GET stream and posts notifications/initialized at the same moment, while other
        // clients initialize: the gateway opens and seals ids on many threads at once, and none may come out "not found".
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackFleet.StartConformance("plain").WaitReadyAsync();
        await using var gateway = await GatewayProcess.StartWithSessionsAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "plain", ["url"] = upstream.McpUrl.ToString() }),
            });
        await gateway.WaitForUpstreamAsync("plain", "up");
        using var init = await gateway.PostMcpAsync(Initialize, cancellationToken: ct);
        var sessionId = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));

        const string Ping = """{"jsonrpc":"2.0","id":3,"method":"ping"}""";
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    var initializes = (i + w) % 4 == 0;
                    using var answer = await gateway.PostMcpAsync(
                        initializes ? Initialize : Ping,
                        r =>
                        {
                            if (!initializes)
                            {
                                r.Headers.Add("Mcp-Session-Id", sessionId);
                                r.Headers.Add("MCP-Protocol-Version", "2025-06-18");
                            }
                        },
                        ct);
                    if (answer.StatusCode != HttpStatusCode.OK || (initializes && !answer.Headers.Contains("Mcp-Session-Id")))
                    {
                        failures.Enqueue($"{(initializes ? "initialize" : "ping")}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}");
                    }
                }
            },
            ct)));

        Assert.True(failures.IsEmpty, $"{failures.Count} of 400 requests failed, e.g. {failures.FirstOrDefault()}");
    }

    [Fact]
    public async Task Initialize_StatefulUpstreamStopsAnswering_SessionStartsWithoutWaitingOutItsTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hung = await LoopbackFleet.StartConformance("hung", environment: new Dictionary<string, string> { ["MCP_SESSION_MODE"] = "stateful" }).WaitReadyAsync();
        await using var healthy = await LoopbackFleet.StartConformance("healthy", environment: new Dictionary<string, string> { ["MCP_SESSION_MODE"] = "stateful" }).WaitReadyAsync();
        await using var gateway = await GatewayProcess.StartWithSessionsAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(
                    new JsonObject { ["name"] = "hung", ["url"] = hung.McpUrl.ToString(), ["stateful"] = true, ["timeout"] = "40s" },
                    new JsonObject { ["name"] = "healthy", ["url"] = healthy.McpUrl.ToString(), ["stateful"] = true }),
                ["health"] = new JsonObject { ["pingInterval"] = "1s", ["pingTimeout"] = "1s", ["maxBackoff"] = "1s" },
            });
        await gateway.WaitForUpstreamAsync("hung", "up");
        await gateway.WaitForUpstreamAsync("healthy", "up");

        // Frozen, it keeps its port and takes connections but answers nothing: the gateway still thinks it up until a
        // ping goes unanswered. A client that initializes right then waits for the health check, not for the 40 s.
        hung.Signal(Native.SigStop);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var init = await gateway.PostMcpAsync(Initialize, cancellationToken: ct);
            var took = clock.Elapsed;
            Assert.Equal(HttpStatusCode.OK, init.StatusCode);
            Assert.True(took < TimeSpan.FromSeconds(20), $"initialize took {took.TotalSeconds:0.0} s with a frozen stateful upstream\n{gateway.Process.Output}");
            var sessionId = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));

            // The session holds its own session at the healthy upstream all the same.
            using var echo = await gateway.PostMcpAsync(
                """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"healthy_echo","arguments":{"message":"in session"}}}""",
                r => { r.Headers.Add("Mcp-Session-Id", sessionId); r.Headers.Add("MCP-Protocol-Version", "2025-06-18"); },
                ct);
            Assert.Contains("in session", await echo.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        finally
        {
            hung.Signal(Native.SigCont);
        }
    }

    private static async Task<GatewayProcess> StartGatewayAsync(ServiceProcess upstream, string key)
    {
        var gateway = await GatewayProcess.StartAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "stateful", ["url"] = upstream.McpUrl.ToString(), ["stateful"] = true }),
                ["sessions"] = new JsonObject { ["keyEnv"] = "GATEWAY_SESSION_KEY" },
                ["auth"] = new JsonObject
                {
                    ["callers"] = new JsonArray(
                        new JsonObject { ["name"] = "alice", ["apiKeyEnv"] = "ALICE_KEY" },
                        new JsonObject { ["name"] = "bob", ["apiKeyEnv"] = "BOB_KEY" }),
                },
            },
            new Dictionary<string, string> { ["GATEWAY_SESSION_KEY"] = key, ["ALICE_KEY"] = AliceKey, ["BOB_KEY"] = BobKey });
        await gateway.WaitForUpstreamAsync("stateful", "up", bearer: AliceKey);
        return gateway;
    }

    private static Action<HttpRequestMessage> Bearer(string key) => r => r.Headers.Authorization = new("Bearer", key);
}
