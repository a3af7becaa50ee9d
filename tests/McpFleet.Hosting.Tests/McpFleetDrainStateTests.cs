using System.Net;

namespace McpFleet.Hosting.Tests;

/// <summary>The SIGTERM sequence on real processes: readiness, drain delay, bound.</summary>
public sealed class McpFleetDrainStateTests
{
    [Fact]
    public async Task Sigterm_ReadinessTurns503AtOnce_ServesThroughDrain_ExitsWithinBound()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__DrainDelay"] = "00:00:03" });

        // The first tools/call compiles the SDK's pipeline, seconds on a loaded machine: not inside the 3 s window below.
        await server.CallToolAsync("echo", """{"message":"warm"}""");
        var started = System.Diagnostics.Stopwatch.StartNew();
        server.Terminate();

        // Readiness flips before the drain delay is over, while MCP still answers.
        HttpStatusCode ready;
        do
        {
            using var response = await server.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken);
            ready = response.StatusCode;
        }
        while (ready == HttpStatusCode.OK && started.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);

        // The flip comes well inside the drain delay (3 s): MCP still answers after it.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2.5), $"readiness took {started.Elapsed} to flip");
        Assert.Contains("\"text\":\"still serving\"", await server.CallToolAsync("echo", """{"message":"still serving"}"""), StringComparison.Ordinal);
        using (var health = await server.Http.GetAsync(RuntimeContract.HealthPath, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        // Bound: drain delay (3 s) + shutdown timeout (5 s) + process teardown.
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)), server.Output);
        Assert.Equal(0, server.ExitCode);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(3), $"exited after {started.Elapsed}, before the drain delay");
    }
}

/// <summary>
/// Stateful opt-in: an open GET SSE stream ends cleanly (EOF, no reset) on SIGTERM instead of holding shutdown to its
/// bound. The SDK ends GET streams when ApplicationStopping fires; the library cancels any opened during the drain.
/// </summary>
public sealed class StatefulShutdownTests
{
    [Fact]
    public async Task Sigterm_OpenGetSseStream_EndsCleanly_ProcessExitsAfterDrainWellBeforeTimeout()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string>
        {
            ["McpFleet__SessionMode"] = "Stateful",
            ["McpFleet__DrainDelay"] = "00:00:01",
            ["McpFleet__ShutdownTimeout"] = "00:00:20",
        });
        using var init = await server.PostMcpAsync(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        Assert.Contains("session mode Stateful", server.Output, StringComparison.Ordinal);
        Assert.Contains("needs session affinity", server.Output, StringComparison.Ordinal);

        using var get = new HttpRequestMessage(HttpMethod.Get, RuntimeContract.McpPath);
        get.Headers.Accept.ParseAdd("text/event-stream");
        get.Headers.Add("Mcp-Session-Id", session);
        get.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        using var stream = await server.Http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var body = await stream.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Terminate();
        var drained = body.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken); // completes when the server ends the stream
        Assert.Same(drained, await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)));
        await drained;
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)), server.Output);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"exited after {clock.Elapsed}, before the drain delay");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"exit took {clock.Elapsed}: the open stream held shutdown");
        Assert.Equal(0, server.ExitCode);
    }
}
