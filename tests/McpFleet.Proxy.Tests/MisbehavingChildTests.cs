using System.Net;

namespace McpFleet.Proxy.Tests;

/// <summary>Children that never initialize, write garbage, flood stderr or exit at once: clear reasons in /ready and the logs, and the proxy stays up.</summary>
public sealed class MisbehavingChildTests
{
    [Fact]
    public async Task ChildNeverAnswersInitialize_ReadyAndLogsSaySo_ProxyStaysUp()
    {
        await using var proxy = ProxyProcess.Launch(["stdio", "--initialize-timeout", "1s", .. Children.Legacy("--mode", "never-initialize")]);
        var waiting = await proxy.WaitForReadyStatusAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
        Assert.Contains("mcp-server:", waiting, StringComparison.Ordinal);

        var gaveUp = await WaitForReasonAsync(proxy, "the MCP server did not answer initialize within 1 s");
        Assert.Matches("restart [0-9]+ in [0-9.]+ s", gaveUp);
        await AssertStillServingAsync(proxy, "did not answer initialize within 1 s");
    }

    [Fact]
    public async Task ChildWritesGarbageToStdout_ReadyAndLogsQuoteTheLine_ProxyStaysUp()
    {
        await using var proxy = ProxyProcess.Launch(["stdio", "--initialize-timeout", "1s", .. Children.Legacy("--mode", "garbage")]);
        var reason = await WaitForReasonAsync(proxy, "stdout line that is not JSON-RPC:");
        Assert.Contains("did not answer initialize within 1 s", reason, StringComparison.Ordinal);
        await AssertStillServingAsync(proxy, "not a JSON-RPC message");
        Assert.Contains("this is not JSON-RPC", proxy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChildFloodsStderr_StillAnswers_LogIsCappedAndSaysHowMuchWasDropped()
    {
        await using var proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy("--mode", "flood-stderr")]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            using var response = await proxy.PostMcpAsync(
                $$$$"""{"jsonrpc":"2.0","id":{{{{i}}}},"method":"tools/call","params":{"name":"echo","arguments":{"message":"through the flood {{{{i}}}}"}}}""",
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains($"through the flood {i}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        await LoadDriver.WaitUntilAsync(
            () => proxy.Output.Contains("stderr lines a second;", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            () => "no 'lines were not logged' warning");

        // At most 200 stderr lines a second reach the log (plus one second's slack for the window edges).
        var seconds = clock.Elapsed.TotalSeconds + 2;
        var logged = proxy.LogLines.Count(l => l.Contains("\"Category\":\"McpFleet.Upstreams.Stderr\"", StringComparison.Ordinal));
        Assert.True(logged <= 200 * (seconds + 1), $"{logged} stderr lines logged in {seconds:0.0} s");
        Assert.Equal(HttpStatusCode.OK, (await proxy.ReadyAsync()).Status);
    }

    [Fact]
    public async Task ChildExitsAtOnce_ReadyNamesExitCodeAndStderr_RestartDelayDoubles()
    {
        await using var proxy = ProxyProcess.Launch(["stdio", .. Children.Legacy("--mode", "exit-at-once")]);
        var first = await WaitForReasonAsync(proxy, "restart 2 in 2 s");
        Assert.Contains("the MCP server exited with code 3 before answering initialize", first, StringComparison.Ordinal);
        Assert.Contains("last stderr line: legacy-child: exiting at once as asked", first, StringComparison.Ordinal);
        _ = await WaitForReasonAsync(proxy, "restart 3 in 4 s");
        await AssertStillServingAsync(proxy, "exited with code 3");
    }

    [Fact]
    public async Task CommandNotFound_ReadySaysSo()
    {
        await using var proxy = ProxyProcess.Launch(["stdio", "--", "/nonexistent/mcp-server", "--flag"]);
        var reason = await WaitForReasonAsync(proxy, "could not be started");
        Assert.Contains("is '/nonexistent/mcp-server' on PATH and executable?", reason, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForReasonAsync(ProxyProcess proxy, string expected)
    {
        var last = string.Empty;
        await LoadDriver.WaitUntilAsync(
            () =>
            {
                var (status, text) = proxy.ReadyAsync().GetAwaiter().GetResult();
                last = $"{(int)status} {text}";
                return status == HttpStatusCode.ServiceUnavailable && text.Contains(expected, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(60),
            () => $"/ready never said '{expected}'; last: {last}\n{proxy.Output}");
        return last;
    }

    /// <summary>Liveness stays 200, MCP requests get 503 with the reason and Retry-After, and the log says it too.</summary>
    private static async Task AssertStillServingAsync(ProxyProcess proxy, string inLog)
    {
        Assert.False(proxy.Exited.IsCompleted, proxy.Output);
        using var health = await proxy.Http.GetAsync(RuntimeContract.HealthPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var call = await proxy.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, call.StatusCode);
        Assert.NotNull(call.Headers.RetryAfter);
        Assert.Contains("mcpfleet-proxy: the MCP server is not ready", await call.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains(inLog, proxy.Output, StringComparison.Ordinal);
    }
}
