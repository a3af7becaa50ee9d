using System.Net;

namespace McpFleet.Proxy.Tests;

/// <summary>Per-request timeout, client cancellation, the concurrency limit, and the Hosting checks in front of the proxy.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task RequestTimeout_SlowCall_ErrorForTheClient_CancelledInTheChild()
    {
        var cancelLog = Path.Combine(Path.GetTempPath(), $"mcpfleet-proxy-cancel-{Guid.NewGuid():N}.log");
        await using var proxy = await ProxyProcess.StartAsync(["stdio", "--request-timeout", "500ms", .. Children.Legacy("--cancel-log", cancelLog)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await proxy.PostMcpAsync(
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"slow","arguments":{"ms":20000}}}""",
            cancellationToken: TestContext.Current.CancellationToken);
        var error = Assert.Single(ForwardingTests.SseMessages(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))["error"]!;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(-32001, error["code"]!.GetValue<int>());
        Assert.Equal("mcpfleet-proxy: the MCP server did not answer tools/call within 0.5 s; the request was cancelled in the server", error["message"]!.GetValue<string>());

        await LoadDriver.WaitUntilAsync(() => File.Exists(cancelLog) && File.ReadAllText(cancelLog).Contains("cancelled", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => "the child never saw notifications/cancelled");
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Proxy",error_type="timeout",gen_ai_tool_name="slow",mcp_method_name="tools/call"\} 1""", await proxy.MetricsAsync());
        File.Delete(cancelLog);
    }

    [Fact]
    public async Task NotificationsCancelled_StatefulSession_CancelledInTheChild()
    {
        var cancelLog = Path.Combine(Path.GetTempPath(), $"mcpfleet-proxy-cancel-{Guid.NewGuid():N}.log");
        await using var proxy = await ProxyProcess.StartAsync(
            ["stdio", .. Children.Legacy("--cancel-log", cancelLog)],
            new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.SessionMode] = "StatefulForInitializeClients" });
        using var init = await proxy.PostMcpAsync(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
            cancellationToken: TestContext.Current.CancellationToken);
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        void InSession(HttpRequestMessage r)
        {
            r.Headers.Add("Mcp-Session-Id", session);
            r.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        }

        _ = proxy.PostMcpAsync("""{"jsonrpc":"2.0","id":"slow-1","method":"tools/call","params":{"name":"slow","arguments":{"ms":20000}}}""", InSession, TestContext.Current.CancellationToken);
        await LoadDriver.WaitUntilAsync(
            () => proxy.MetricsAsync().GetAwaiter().GetResult().Contains("mcpfleet_upstream_requests_in_flight{otel_scope_name=\"McpFleet.Upstreams\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            () => "the slow call never was in flight");
        using var cancelled = await proxy.PostMcpAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"slow-1","reason":"test"}}""", InSession, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);

        await LoadDriver.WaitUntilAsync(() => File.Exists(cancelLog) && File.ReadAllText(cancelLog).Contains("cancelled", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => $"the child never saw notifications/cancelled\n{proxy.Output}");
        File.Delete(cancelLog);
    }

    [Fact]
    public async Task SdkClientCancels_ByAbortingThePost_CancelledInTheChild()
    {
        var cancelLog = Path.Combine(Path.GetTempPath(), $"mcpfleet-proxy-cancel-{Guid.NewGuid():N}.log");
        await using var proxy = await ProxyProcess.StartAsync(
            ["stdio", .. Children.Legacy("--cancel-log", cancelLog)],
            new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.SessionMode] = "StatefulForInitializeClients" });
        await using var client = await proxy.ConnectAsync("2025-06-18");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.CallToolAsync("slow", new Dictionary<string, object?> { ["ms"] = 20000 }, cancellationToken: cancel.Token));

        await LoadDriver.WaitUntilAsync(() => File.Exists(cancelLog) && File.ReadAllText(cancelLog).Contains("cancelled", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => $"the child never saw notifications/cancelled\n{proxy.Output}");
        File.Delete(cancelLog);
    }

    [Fact]
    public async Task ConcurrencyLimit_Full_RequestsGet503WithRetryAfter_NotificationsStillPass()
    {
        await using var proxy = await ProxyProcess.StartAsync(["stdio", "--max-concurrency", "2", .. Children.Legacy()]);
        var slow = Enumerable.Range(0, 2).Select(i => proxy.PostMcpAsync(
            $$$$"""{"jsonrpc":"2.0","id":{{{{i}}}},"method":"tools/call","params":{"name":"slow","arguments":{"ms":3000}}}""",
            cancellationToken: TestContext.Current.CancellationToken)).ToList();
        await LoadDriver.WaitUntilAsync(
            () => proxy.MetricsAsync().GetAwaiter().GetResult().Contains("mcpfleet_upstream_requests_in_flight{otel_scope_name=\"McpFleet.Upstreams\"} 2", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            () => "two slow calls never were in flight");

        using (var third = await proxy.PostMcpAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"x"}}}""", cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
            Assert.Contains("2 requests are already in flight", await third.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        using (var notification = await proxy.PostMcpAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, notification.StatusCode);
        }

        foreach (var response in await Task.WhenAll(slow))
        {
            Assert.Contains("slept 3000", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            response.Dispose();
        }

        Assert.Matches("""mcpfleet_proxy_requests_rejected_total\{otel_scope_name="McpFleet.Proxy",reason="concurrency"\} 1""", await proxy.MetricsAsync());
    }

    [Fact]
    public async Task HostingChecks_ApiKeyOriginAndBodyLimit_EnforcedAsForHostingServers_ProbesExempt()
    {
        await using var proxy = await ProxyProcess.StartAsync(
            ["stdio", .. Children.Legacy()],
            new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ApiKeys] = "k-one,k-two", ["McpFleet__MaxRequestBodyBytes"] = "16384" });
        const string List = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
        using (var anonymous = await proxy.PostMcpAsync(List, cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var keyed = await proxy.PostMcpAsync(List, r => r.Headers.Authorization = new("Bearer", "k-two"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
            Assert.Contains("\"echo\"", await keyed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        using (var rebinding = await proxy.PostMcpAsync(List, r =>
        {
            r.Headers.Authorization = new("Bearer", "k-one");
            r.Headers.Add("Origin", "https://attacker.example");
        }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rebinding.StatusCode);
        }

        var big = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + new string('x', 20_000) + "\"}}}";
        using (var tooLarge = await proxy.PostMcpAsync(big, r => r.Headers.Authorization = new("Bearer", "k-one"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await proxy.ReadyAsync()).Status);
    }
}
