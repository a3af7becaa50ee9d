using System.Net;
using System.Text.RegularExpressions;

namespace McpFleet.Hosting.Tests;

/// <summary>The Prometheus exposition: the library's series, and what is left out.</summary>
public sealed partial class McpFleetMetricsTests
{
    [Fact]
    public async Task Metrics_ExpositionParses_HasPerMethodAndToolSeriesAndContractInstruments()
    {
        await using var server = await ServerProcess.StartAsync("Conformance");
        await server.CallToolAsync("echo", """{"message":"count me"}""");
        await server.CallToolAsync("test_error_handling", "{}");
        await server.CallToolAsync("no_such_tool", "{}");
        foreach (var method in (string[])["tools/list", "no/such-method"])
        {
            using var response = await server.PostMcpAsync($$"""{"jsonrpc":"2.0","id":2,"method":"{{method}}"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var metrics = new HttpClient();
        var text = await metrics.GetStringAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics"), TestContext.Current.CancellationToken);

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(line.StartsWith('#') || SampleLine().IsMatch(line), $"not a Prometheus sample: {line}");
        }

        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",gen_ai_tool_name="echo",mcp_method_name="tools/call"\} 1""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",error_type="tool_error",gen_ai_tool_name="test_error_handling",mcp_method_name="tools/call"\} 1""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",mcp_method_name="tools/list"\} 1""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",error_type="-32602",gen_ai_tool_name="_OTHER",mcp_method_name="tools/call"\} 1""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",error_type="-32601",mcp_method_name="_OTHER"\} 1""", text);
        Assert.Contains("""mcpfleet_mcp_requests_in_flight{otel_scope_name="McpFleet.Hosting"} 0""", text, StringComparison.Ordinal);
        foreach (var family in (string[])["mcpfleet_mcp_requests_in_flight", "http_server_request_duration_seconds_bucket", "kestrel_active_connections", "process_cpu_time", "dotnet_gc_collections"])
        {
            Assert.Contains(family, text, StringComparison.Ordinal);
        }

        // Per-request measurements that only repeat the request histogram are not collected (bench/RESULTS.md, Hosting),
        // nor is the SDK's meter when stateless: its operation histogram would count every request twice.
        Assert.DoesNotContain("Experimental.ModelContextProtocol", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unknownMethod", text, StringComparison.Ordinal);
        foreach (var family in (string[])["mcp_server_session_duration_seconds", "aspnetcore_routing_match_attempts", "aspnetcore_memory_pool_rented_bytes", "http_server_active_requests"])
        {
            Assert.DoesNotContain(family, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_Stateful_CollectsSdkSessionHistogramButNotItsOperationHistogram()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__SessionMode"] = "Stateful" });
        using var init = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var session = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));
        using var delete = new HttpRequestMessage(HttpMethod.Delete, RuntimeContract.McpPath);
        delete.Headers.Add("Mcp-Session-Id", session);
        using var deleted = await server.Http.SendAsync(delete, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);

        using var metrics = new HttpClient();
        var uri = new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics");
        var text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("mcp_server_session_duration_seconds_count", StringComparison.Ordinal); attempt++)
        {
            // The SDK records the session when its disposal finishes, just after the DELETE is answered.
            text = await metrics.GetStringAsync(uri, TestContext.Current.CancellationToken);
            if (!text.Contains("mcp_server_session_duration_seconds_count", StringComparison.Ordinal))
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.Matches("""mcp_server_session_duration_seconds_count\{otel_scope_name="Experimental.ModelContextProtocol"[^}]*\} 1""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",mcp_method_name="initialize"\} 1""", text);
        Assert.DoesNotMatch("""mcp_server_operation_duration_seconds_count\{otel_scope_name="Experimental.ModelContextProtocol""", text);
        Assert.Contains("""mcpfleet_mcp_sessions_active{otel_scope_name="McpFleet.Hosting"} 0""", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?([0-9.eE+-]+|NaN|\+Inf|-Inf)( [0-9]+)?$""")]
    private static partial Regex SampleLine();
}
