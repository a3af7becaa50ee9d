using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using McpFleet.Gateway.Tests.Isolation;
using McpFleet.Tests;
using ModelContextProtocol;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>What the gateway tells operators and upstreams: metrics per upstream, tool and caller; traces; JSON logs; no caller token upstream.</summary>
public sealed class ObservabilityTests
{
    private const string Key = "observer-key-0123456789abcdef";

    [Fact]
    public async Task CallTool_WithTraceparentAndApiKey_UpstreamGetsTheTraceButNeverTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["auth"] = new JsonObject { ["callers"] = new JsonArray(new JsonObject { ["name"] = "observer", ["apiKeyEnv"] = "OBSERVER_KEY" }) },
        }, new Dictionary<string, string> { ["OBSERVER_KEY"] = Key });
        await gateway.WaitForUpstreamAsync("recording", "up", bearer: Key);

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var traceparent = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        upstream.Requests.Clear();
        using var call = await gateway.PostMcpAsync(
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"recording_echo","arguments":{"message":"traced"}}}""",
            r =>
            {
                r.Headers.Authorization = new("Bearer", Key);
                r.Headers.Add("traceparent", traceparent);
            },
            ct);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Contains("traced", await call.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        var seen = Assert.Single(upstream.Requests, r => r.TryGetValue("traceparent", out var t) && t.Contains(traceId, StringComparison.Ordinal));
        Assert.False(seen.ContainsKey("Authorization"));
        Assert.All(upstream.Requests, r => Assert.DoesNotContain(Key, string.Join('\n', r.Values), StringComparison.Ordinal));

        // The gateway's own JSON log lines for that request carry the same trace id; the key is in none of them.
        using var refused = await gateway.PostMcpAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", r => r.Headers.Add("traceparent", traceparent), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var line = await WaitForLogAsync(gateway, l => l.Contains("\"EventId\":500", StringComparison.Ordinal));
        Assert.Equal(traceId, (string?)JsonNode.Parse(line)!["Scopes"]!.AsArray().First(s => s!["TraceId"] is not null)!["TraceId"]);
        Assert.DoesNotContain(gateway.Process.LogLines, l => l.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_CallsAndStatus_PerUpstreamToolAndCallerWithBoundedNames()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = new LoopbackFleetOf(["alpha", "beta"]);
        await fleet.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(fleet.Config);
        await gateway.WaitForUpstreamAsync("alpha", "up");
        await gateway.WaitForUpstreamAsync("beta", "up");
        await using var client = await gateway.ConnectAsync();
        _ = await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["message"] = "m" }, cancellationToken: ct);
        _ = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("alpha_made_up_name_123", cancellationToken: ct));
        await fleet.Servers["beta"].KillAsync();
        await gateway.WaitForUpstreamAsync("beta", "down");

        var metrics = await gateway.Process.MetricsAsync();
        Assert.Matches("""mcpfleet_gateway_upstream_up\{[^}]*mcpfleet_upstream="alpha"[^}]*\} 1""", metrics);
        Assert.Matches("""mcpfleet_gateway_upstream_up\{[^}]*mcpfleet_upstream="beta"[^}]*\} 0""", metrics);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{[^}]*gen_ai_tool_name="alpha_echo"[^}]*mcpfleet_caller="anonymous"[^}]*mcpfleet_upstream="alpha"[^}]*\} 1""", metrics);
        Assert.Matches("""gen_ai_tool_name="_OTHER"[^}]*\}""", metrics);
        Assert.DoesNotContain("alpha_made_up_name_123", metrics, StringComparison.Ordinal);

        var status = await gateway.StatusAsync();
        var beta = status["upstreams"]!.AsArray().Single(u => (string?)u!["name"] == "beta")!;
        Assert.Equal("down", (string?)beta["state"]);
        Assert.False(string.IsNullOrEmpty((string?)beta["reason"]));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Process.ReadyAsync()).Status);
    }

    [Fact]
    public async Task Sigterm_CallInFlight_FinishesThenExits0()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        await using var client = await gateway.ConnectAsync();
        _ = await client.CallToolAsync("recording_echo", new Dictionary<string, object?> { ["message"] = "warm" }, cancellationToken: ct);

        var slow = client.CallToolAsync("recording_slow", new Dictionary<string, object?> { ["milliseconds"] = 3000 }, cancellationToken: ct).AsTask();
        await WaitForInFlightAsync(gateway, "recording");
        gateway.Process.Signal(Native.SigTerm);
        var clock = Stopwatch.StartNew();
        while ((await gateway.Process.ReadyAsync()).Status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.Process.ReadyAsync()).Status);
        var result = await slow;
        Assert.Equal("slept 3000 ms", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Single().Text);
        Assert.True(await gateway.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), gateway.Process.Output);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.DoesNotContain("Unhandled exception", gateway.Process.Output, StringComparison.Ordinal);
    }

    /// <summary>Waits until the gateway has a request at <paramref name="upstream"/> not answered yet (its metrics say so).</summary>
    private static async Task WaitForInFlightAsync(GatewayProcess gateway, string upstream)
    {
        var pattern = new Regex($$"""^mcpfleet_gateway_upstream_requests_in_flight\{[^}]*mcpfleet_upstream="{{upstream}}"[^}]*\} [1-9]""", RegexOptions.Multiline);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (pattern.IsMatch(await gateway.Process.MetricsAsync()))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"no request in flight at {upstream} within 10 s:\n{gateway.Process.Output}");
    }

    private static async Task<string> WaitForLogAsync(GatewayProcess gateway, Func<string, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (gateway.Process.LogLines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no such log line:\n{gateway.Process.Output}");
        return string.Empty;
    }
}
