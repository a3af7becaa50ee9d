using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy.Tests;

/// <summary>One shared legacy child (2024-11-05 only) behind the proxy: ids, versions, progress, raw fields, metrics.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private ProxyProcess _proxy = null!;

    public async ValueTask InitializeAsync() => _proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy()]);

    public async ValueTask DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task ToolsCall_64ConcurrentCallersAllUsingId1_EachGetsItsOwnAnswer()
    {
        var calls = Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _proxy.PostMcpAsync(
                $$$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"caller-{{{{i}}}}"}}}""",
                cancellationToken: TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return (i, response.StatusCode, text);
        });

        foreach (var (i, status, text) in await Task.WhenAll(calls))
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var message = Assert.Single(SseMessages(text));
            Assert.Equal(1, message["id"]!.GetValue<int>());
            Assert.Equal($"caller-{i}", message["result"]!["content"]![0]!["text"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Clients_2026And20250618_BothReachTheLegacyChild()
    {
        await using var modern = await _proxy.ConnectAsync();
        await using var legacy = await _proxy.ConnectAsync("2025-06-18");
        Assert.Equal("2026-07-28", modern.NegotiatedProtocolVersion);
        Assert.Equal("2025-06-18", legacy.NegotiatedProtocolVersion);

        foreach (var client in (McpClient[])[modern, legacy])
        {
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains(tools, t => t.Name == "echo");
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = client.NegotiatedProtocolVersion }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(client.NegotiatedProtocolVersion, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        }

        // The child's initialize result is reused: its instructions reach a client that never caused an initialize upstream.
        Assert.Equal("A test server that speaks only 2024-11-05.", legacy.ServerInstructions);
    }

    [Fact]
    public async Task ToolsCall_ProgressToken_NotificationsReachTheCallerWithItsOwnToken()
    {
        using var response = await _proxy.PostMcpAsync(
            """{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"progress","_meta":{"progressToken":"mine-42"}}}""",
            cancellationToken: TestContext.Current.CancellationToken);
        var messages = SseMessages(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // Three progress notifications with the caller's token, in order, and then the result.
        Assert.Equal(4, messages.Count);
        for (var step = 1; step <= 3; step++)
        {
            Assert.Equal("notifications/progress", messages[step - 1]["method"]!.GetValue<string>());
            Assert.Equal("mine-42", messages[step - 1]["params"]!["progressToken"]!.GetValue<string>());
            Assert.Equal(step, messages[step - 1]["params"]!["progress"]!.GetValue<int>());
        }

        Assert.Equal("done", messages[3]["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolsCall_ResultWithFieldsTheSdkDoesNotKnow_PassesThroughUnchanged()
    {
        using var response = await _proxy.PostMcpAsync(
            """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"extra"}}""",
            cancellationToken: TestContext.Current.CancellationToken);
        var result = Assert.Single(SseMessages(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))["result"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"nested":[1,2,3]}"""), result["futureResultField"]));
        Assert.Equal(1, result["content"]![0]!["futureField"]!.GetValue<int>());
        Assert.Equal("abc", result["_meta"]!["vendor/trace"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolsCall_UnknownTool_ChildErrorReachesTheClientWithItsData()
    {
        using var response = await _proxy.PostMcpAsync(
            """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"nope"}}""",
            cancellationToken: TestContext.Current.CancellationToken);
        var error = Assert.Single(SseMessages(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))["error"]!;
        Assert.Equal(-32602, error["code"]!.GetValue<int>());
        Assert.Equal("Unknown tool: nope", error["message"]!.GetValue<string>());
        Assert.Contains("echo", error["data"]!["known"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Metrics_ToolCalls_CountedPerToolWithErrors_UnknownNamesAsOther()
    {
        await using var client = await _proxy.ConnectAsync("2025-06-18");
        _ = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "m" }, cancellationToken: TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("made-up", cancellationToken: TestContext.Current.CancellationToken));

        var metrics = await _proxy.MetricsAsync();
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Proxy",gen_ai_tool_name="echo",mcp_method_name="tools/call"\} [1-9]""", metrics);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Proxy",error_type="-32602",gen_ai_tool_name="_OTHER",mcp_method_name="tools/call"\} [1-9]""", metrics);
        Assert.Matches("""mcpfleet_upstream_ready\{otel_scope_name="McpFleet.Upstreams"\} 1""", metrics);
        Assert.Contains("mcpfleet_upstream_requests_in_flight", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_ChildAnswering_200AndHealth200()
    {
        var (status, text) = await _proxy.ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", text.Trim());
        using var health = await _proxy.Http.GetAsync(RuntimeContract.HealthPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Parses the <c>data:</c> lines of an SSE body.</summary>
    internal static List<JsonNode> SseMessages(string body) =>
        [.. body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!)];
}
