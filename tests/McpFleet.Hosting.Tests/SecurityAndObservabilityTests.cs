using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace McpFleet.Hosting.Tests;

/// <summary>Host/Origin, body limit, malformed JSON-RPC and API keys against one Conformance process.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string Echo = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";
    private ServerProcess _server = null!;

    // A 16 KiB body limit keeps the oversize bodies small.
    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__MaxRequestBodyBytes"] = "16384" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("http://evil.example.com")]
    [InlineData("https://mcp-conformance.attacker.net")]
    [InlineData("null")]
    public async Task Mcp_BadOrigin_Gets403WithJsonRpcError(string origin)
    {
        using var response = await _server.PostMcpAsync(Echo, r => r.Headers.Add("Origin", origin));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertJsonRpcErrorAsync(response);
    }

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://mcp-conformance.default.svc.cluster.local:8080")]
    public async Task Mcp_AllowedOrigin_IsServed(string origin)
    {
        using var response = await _server.PostMcpAsync(Echo, r => r.Headers.Add("Origin", origin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Mcp_RebindingHost_Gets403_ServiceDnsNameAndIpHostsAreServed()
    {
        using (var evil = await _server.PostMcpAsync(Echo, r => r.Headers.Host = "evil.example.com"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        }

        foreach (var host in (string[])["mcp-conformance", "mcp-conformance.default.svc:80", "10.42.0.17:8080", "[::1]:8080"])
        {
            using var ok = await _server.PostMcpAsync(Echo, r => r.Headers.Host = host);
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"Host {host}: {ok.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    public async Task Probes_AnyHostAndOrigin_Answer200(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example.com";
        request.Headers.Add("Origin", "http://evil.example.com");
        using var response = await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AnyHost_Answers200OnMetricsPortOnly()
    {
        using var metrics = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_server.MetricsPort}/metrics");
        request.Headers.Host = "prometheus.monitoring.svc";
        using var response = await metrics.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var onMcpPort = await _server.Http.GetAsync(RuntimeContract.MetricsPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, onMcpPort.StatusCode);
        using var mcpOnMetricsPort = await metrics.PostAsync(
            new Uri($"http://127.0.0.1:{_server.MetricsPort}/mcp"), new StringContent(Echo, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, mcpOnMetricsPort.StatusCode);
    }

    [Fact]
    public async Task Mcp_OversizeBody_Gets413_WithContentLengthAndChunked()
    {
        // With Expect: 100-continue the 413 comes before any body is sent, so no reset can race the response.
        using (var response = await _server.PostMcpAsync(Oversize(256 * 1024), r => r.Headers.ExpectContinue = true))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await AssertJsonRpcErrorAsync(response);
        }

        // A chunked body only a little over the 16 KiB limit fits in the socket buffers, so the client reads the 413.
        using (var chunked = await _server.PostMcpAsync(Oversize(20 * 1024), r => r.Headers.TransferEncodingChunked = true))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        }

        Assert.Contains("\"text\":\"hi\"", await _server.CallToolAsync("echo", """{"message":"hi"}"""), StringComparison.Ordinal);
    }

    private static string Oversize(int bytes) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + new string('x', bytes) + "\"}}}";

    [Fact]
    public async Task Mcp_SixtyMalformedBodies_EachGetsAnError_ServerStaysUp()
    {
        string[] shapes =
        [
            "{", "not json", "[]", "null", "42", "\"str\"", """{"jsonrpc":"1.0","id":1,"method":"ping"}""",
            """{"jsonrpc":"2.0","id":{},"method":"ping"}""", """{"jsonrpc":"2.0","id":1}""", """{"jsonrpc":"2.0","id":1,"method":7}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}""", """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":5}}}""",
            "\u0000\u0001\u0002", """{"jsonrpc":"2.0","id":1,"method":"no/such/method"}""",
        ];
        for (var i = 0; i < 60; i++)
        {
            var body = shapes[i % shapes.Length];
            using var response = await _server.PostMcpAsync(body);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var isError = (int)response.StatusCode >= 400 || text.Contains("\"error\"", StringComparison.Ordinal) || text.Contains("\"isError\":true", StringComparison.Ordinal);
            Assert.True(isError, $"body {body} got {(int)response.StatusCode} {text}");
        }

        Assert.False(_server.Exited.IsCompleted, _server.Output);
        Assert.Contains("\"text\":\"still up\"", await _server.CallToolAsync("echo", """{"message":"still up"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void MapMcpFleet_WithoutAddMcpFleetServer_FailsNamingIt()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapMcpFleet());
        Assert.Contains("AddMcpFleetServer", error.Message, StringComparison.Ordinal);
    }

    internal static async Task AssertJsonRpcErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
        Assert.True(json.RootElement.GetProperty("error").GetProperty("code").GetInt32() < 0);
    }
}

/// <summary>API keys, JSON logs, secrets in logs and the Prometheus exposition.</summary>
public sealed partial class ObservabilityTests
{
    private const string ApiKey = "k3y-THAT-must-never-be-logged-5f1c";
    private const string OtherSecret = "db-password-THAT-must-never-be-logged-9a2e";

    [Fact]
    public async Task ApiKey_MissingOrWrong_401_Right_200_AndNoSecretIsEverLogged()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string>
        {
            [RuntimeContract.EnvironmentVariables.ApiKeys] = "other-key," + ApiKey,
            ["DATABASE_PASSWORD"] = OtherSecret,
            ["Logging__LogLevel__Default"] = "Trace",
        });
        const string echo = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";

        using (var missing = await server.PostMcpAsync(echo))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        }

        using (var wrong = await server.PostMcpAsync(echo, r => r.Headers.Authorization = new("Bearer", ApiKey + "x")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await server.PostMcpAsync(echo, r => r.Headers.Authorization = new("Bearer", ApiKey)))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        using (var probe = await server.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode); // probes never need the key
        }

        server.Terminate();
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), server.Output);
        Assert.Contains("Rejected an MCP request (unauthorized)", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherSecret, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_EveryStdoutLineIsJson_ToolCallsCarryToolDurationTraceAndSpan()
    {
        await using var server = await ServerProcess.StartAsync("Conformance");
        await server.CallToolAsync("echo", """{"message":"log me"}""");
        server.Terminate();
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), server.Output);

        var lines = server.StdoutLines.Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        JsonElement? toolLine = null;
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            foreach (var field in (string[])["Timestamp", "LogLevel", "Category", "Message"])
            {
                Assert.True(root.TryGetProperty(field, out _), $"{field} missing in {line}");
            }

            Assert.True(DateTimeOffset.TryParse(root.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), line);
            if (root.GetProperty("Category").GetString() == "McpFleet.Hosting.McpFleetToolCallFilter")
            {
                toolLine = root.Clone();
            }
        }

        Assert.True(toolLine.HasValue, string.Join('\n', lines));
        var state = toolLine.Value.GetProperty("State");
        Assert.Equal("echo", state.GetProperty("Tool").GetString());
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        var scopes = toolLine.Value.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && HexId().IsMatch(t.GetString()!) && s.TryGetProperty("SpanId", out _));
    }

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

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?([0-9.eE+-]+|NaN|\+Inf|-Inf)( [0-9]+)?$""")]
    private static partial Regex SampleLine();
}
