using System.Net;
using System.Text.Json.Nodes;

namespace McpFleet.Proxy.Tests;

/// <summary>
/// The stateless fast path (<c>McpFleet:Proxy:FastPath</c>, on by default) against the SDK's path (the option off): the
/// same answers for the same requests, and the requests it must leave to the SDK (2026-07-28, sessions) still work.
/// </summary>
public sealed class FastPathTests
{
    private static readonly Dictionary<string, string> s_sdkPath = new() { ["McpFleet__Proxy__FastPath"] = "false" };

    /// <summary>Requests with the headers they carry besides the usual ones; the fast path takes some, the SDK the rest.</summary>
    private static readonly (string Body, (string Name, string Value)[] Headers)[] s_requests =
    [
        ("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"x"}}}""", []),
        ("""{"jsonrpc":"2.0","id":"s","method":"tools/list"}""", []),
        ("""{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"nope"}}""", []),
        ("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"extra"}}""", []),
        ("""{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"progress","_meta":{"progressToken":"mine-42"}}}""", []),
        ("""{"jsonrpc":"2.0","id":1,"method":"nosuch/method"}""", []),
        ("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", []),
        ("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"v"}}}""", [("MCP-Protocol-Version", "2025-06-18")]),
        ("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"message":"y"}}}""", [("Mcp-Session-Id", "no-such-session")]),
        ("""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"message":"z"}}}""", [("MCP-Protocol-Version", "2026-07-28")]),
        ("""{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo"},"extra":true}""", []),
        ("""[{"jsonrpc":"2.0","id":10,"method":"tools/list"}]""", []),
    ];

    [Fact]
    public async Task FastPath_SameRequests_SameAnswersAsTheSdkPath()
    {
        var started = await Task.WhenAll(ProxyProcess.StartAsync(["stdio", .. Children.Legacy()]), ProxyProcess.StartAsync(["stdio", .. Children.Legacy()], s_sdkPath));
        await using var fast = started[0];
        await using var sdk = started[1];

        foreach (var (body, headers) in s_requests)
        {
            var (fastStatus, fastType, fastText) = await PostAsync(fast, body, headers);
            var (sdkStatus, sdkType, sdkText) = await PostAsync(sdk, body, headers);
            Assert.True(
                fastStatus == sdkStatus && fastType == sdkType && fastText == sdkText,
                $"{body} {string.Join(' ', headers)}\nfast path: {fastStatus} {fastType}\n{fastText}\nSDK path: {sdkStatus} {sdkType}\n{sdkText}");
        }
    }

    [Fact]
    public async Task FastPath_Request2026_TakesTheSdkPath()
    {
        await using var proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy()]);
        (string, string)[] modern = [("MCP-Protocol-Version", "2026-07-28")];

        // Without the per-request _meta the SDK refuses it: the fast path would have forwarded it.
        var (status, _, text) = await PostAsync(proxy, """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"x"}}}""", modern);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must include '_meta/io.modelcontextprotocol/protocolVersion'", JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // With it, the SDK's path answers, adding resultType for the legacy child.
        (status, _, text) = await PostAsync(
            proxy,
            """{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo","arguments":{"message":"m"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}""",
            [.. modern, ("Mcp-Method", "tools/call"), ("Mcp-Name", "echo")]);
        Assert.Equal(HttpStatusCode.OK, status);
        var result = Assert.Single(ForwardingTests.SseMessages(text))["result"]!;
        Assert.Equal("m", result["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("complete", result["resultType"]!.GetValue<string>());
    }

    [Fact]
    public async Task FastPath_StatefulProxy_SessionRequestsWork()
    {
        await using var proxy = await ProxyProcess.StartAsync(
            ["stdio", .. Children.Legacy()],
            new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.SessionMode] = "StatefulForInitializeClients" });
        await using var client = await proxy.ConnectAsync("2025-06-18");
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "in a session" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("in a session", Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(result.Content)).Text);

        // A session-less tools/call to a stateful proxy is the SDK's too, which wants a session first (the fast path would answer 200).
        var (status, _, _) = await PostAsync(proxy, """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"x"}}}""", []);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task FastPath_ClientAbortsThePost_CancelledInTheChild()
    {
        var cancelLog = Path.Combine(Path.GetTempPath(), $"mcpfleet-proxy-cancel-{Guid.NewGuid():N}.log");
        await using var proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy("--cancel-log", cancelLog)]);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var call = proxy.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow","arguments":{"ms":20000}}}""", cancellationToken: abort.Token);
        await LoadDriver.WaitUntilAsync(
            () => proxy.MetricsAsync().GetAwaiter().GetResult().Contains("mcpfleet_upstream_requests_in_flight{otel_scope_name=\"McpFleet.Upstreams\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            () => "the slow call never was in flight");
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await LoadDriver.WaitUntilAsync(() => File.Exists(cancelLog) && File.ReadAllText(cancelLog).Contains("cancelled", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => $"the child never saw notifications/cancelled\n{proxy.Output}");
        Assert.False(proxy.Output.Contains("\"Exception\":", StringComparison.Ordinal), proxy.Output);
        File.Delete(cancelLog);
    }

    [Fact]
    public async Task FastPath_TimeoutAndDeadChild_SameErrorsAsTheSdkPath()
    {
        string[] arguments = ["stdio", "--request-timeout", "500ms", .. Children.Legacy()];
        var started = await Task.WhenAll(ProxyProcess.StartAsync(arguments), ProxyProcess.StartAsync(arguments, s_sdkPath));
        await using var fast = started[0];
        await using var sdk = started[1];

        List<JsonNode> errors = [];
        foreach (var proxy in (ProxyProcess[])[fast, sdk])
        {
            foreach (var body in (string[])[
                """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"slow","arguments":{"ms":20000}}}""",
                """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"crash"}}"""])
            {
                var (status, _, text) = await PostAsync(proxy, body, []);
                Assert.Equal(HttpStatusCode.OK, status);
                errors.Add(Assert.Single(ForwardingTests.SseMessages(text))["error"]!);
            }
        }

        Assert.Equal(-32001, errors[0]["code"]!.GetValue<int>());
        Assert.Equal("mcpfleet-proxy: the MCP server did not answer tools/call within 0.5 s; the request was cancelled in the server", errors[0]["message"]!.GetValue<string>());
        Assert.Equal(-32603, errors[1]["code"]!.GetValue<int>());
        Assert.StartsWith("mcpfleet-proxy: the MCP server went away before answering", errors[1]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(errors[0], errors[2]), $"{errors[0]} vs {errors[2]}");
        Assert.True(JsonNode.DeepEquals(errors[1], errors[3]), $"{errors[1]} vs {errors[3]}");
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Proxy",error_type="timeout",gen_ai_tool_name="slow",mcp_method_name="tools/call"\} 1""", await fast.MetricsAsync());
    }

    [Fact]
    public async Task FastPath_RequestsRefused_SameWarningLinesAsTheSdkPath()
    {
        string[] arguments = ["stdio", "--request-timeout", "500ms", .. Children.Legacy()];
        var started = await Task.WhenAll(ProxyProcess.StartAsync(arguments), ProxyProcess.StartAsync(arguments, s_sdkPath));
        await using var fast = started[0];
        await using var sdk = started[1];

        const string refused = "Warning 40 McpFleet.Hosting.McpFleetMessageFilter: MCP request prompts/get refused with JSON-RPC error -32001: "
            + "mcpfleet-proxy: the MCP server did not answer prompts/get within 0.5 s; the request was cancelled in the server";
        List<string[]> warnings = [];
        foreach (var proxy in (ProxyProcess[])[sdk, fast])
        {
            var from = proxy.LogLines.Count;
            foreach (var body in (string[])[
                """{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"hang"}}""",
                """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"slow","arguments":{"ms":20000}}}"""])
            {
                var (_, _, text) = await PostAsync(proxy, body, []);
                Assert.Equal(-32001, Assert.Single(ForwardingTests.SseMessages(text))["error"]!["code"]!.GetValue<int>());
            }

            // The lines reach stdout through the console logger's queue: the last one is the forwarder's for the tools/call.
            await LoadDriver.WaitUntilAsync(
                () => Warnings(proxy, from).Count(static w => w.StartsWith("Warning 210 ", StringComparison.Ordinal)) == 2,
                TimeSpan.FromSeconds(10),
                () => proxy.Output);
            warnings.Add(Warnings(proxy, from));
        }

        Assert.Contains(refused, warnings[0]);
        Assert.Equal(warnings[0], warnings[1]);
    }

    /// <summary>Returns McpFleet's log lines at Warning and above from line <paramref name="from"/> on, as "level event-id category: message".</summary>
    private static string[] Warnings(ProxyProcess proxy, int from) =>
        [.. proxy.LogLines.Skip(from).Select(static l => JsonNode.Parse(l)!)
            .Where(static l => l["LogLevel"]!.GetValue<string>() is "Warning" or "Error" or "Critical"
                && l["Category"]!.GetValue<string>().StartsWith("McpFleet.", StringComparison.Ordinal))
            .Select(static l => $"{l["LogLevel"]} {l["EventId"]} {l["Category"]}: {l["Message"]}")];

    private static async Task<(HttpStatusCode Status, string? ContentType, string Text)> PostAsync(ProxyProcess proxy, string body, (string Name, string Value)[] headers)
    {
        using var response = await proxy.PostMcpAsync(
            body,
            r =>
            {
                foreach (var (name, value) in headers)
                {
                    r.Headers.Add(name, value);
                }
            },
            TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
