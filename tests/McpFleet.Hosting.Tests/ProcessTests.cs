using System.Net;
using System.Text.Json;
using McpFleet.Tests;

namespace McpFleet.Hosting.Tests;

/// <summary>The official conformance suite and the TypeScript SDK client against the Conformance server process.</summary>
public sealed class ConformanceTests
{
    [Fact]
    public async Task ConformanceSuite_StatelessDefault_PassesAllButServerToClientScenarios()
    {
        await using var server = await ServerProcess.StartAsync("Conformance");
        var result = await RunSuiteAsync(server, "active", Path.Combine(AppContext.BaseDirectory, "conformance-expected-failures.yml"));
        Assert.Contains("dns-rebinding-protection: 2 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("tools-call-simple-text: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConformanceSuite_StatefulForInitializeClients_PassesEveryScenario()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__SessionMode"] = "StatefulForInitializeClients" });
        var result = await RunSuiteAsync(server, "all", expectedFailures: null);
        Assert.Matches(@"Total: \d+ passed, 0 failed", result.StandardOutput);
        Assert.Contains("dns-rebinding-protection: 2 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);

        // Stateful, the SDK's meter is collected for its session histogram; its operation histogram stays dropped.
        using var metrics = new HttpClient();
        var text = await metrics.GetStringAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics"), TestContext.Current.CancellationToken);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",gen_ai_prompt_name="test_simple_prompt",mcp_method_name="prompts/get"\} [1-9]""", text);
        Assert.Matches("""mcp_server_operation_duration_seconds_count\{otel_scope_name="McpFleet.Hosting",mcp_method_name="initialize"\} [1-9]""", text);
        Assert.DoesNotMatch("""mcp_server_operation_duration_seconds_count\{otel_scope_name="Experimental.ModelContextProtocol""", text);
    }

    [Fact]
    public async Task TypeScriptSdkClient_ListsAndCallsTools_OnCSharpServer()
    {
        await using var server = await ServerProcess.StartAsync("Conformance");
        var result = (await ExternalTools.RunAsync(
            ExternalTools.Node,
            [Path.Combine(AppContext.BaseDirectory, "interop", "ts-client.mjs"), ExternalTools.NodeModules, server.McpUrl.ToString()])).EnsureSuccess();
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("conformance", root.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal("1.0.0", root.GetProperty("server").GetProperty("version").GetString());
        Assert.Contains("echo", root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("hello from typescript", root.GetProperty("echo").GetString());
        Assert.True(root.GetProperty("errorIsError").GetBoolean());
    }

    private static async Task<ToolResult> RunSuiteAsync(ServerProcess server, string suite, string? expectedFailures)
    {
        List<string> args =
        [
            Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "conformance", "dist", "index.js"),
            "server", "--url", server.McpUrl.ToString(), "--suite", suite,
        ];
        if (expectedFailures is not null)
        {
            args.AddRange(["--expected-failures", expectedFailures]);
        }

        var workDir = Directory.CreateTempSubdirectory("mcpfleet-conformance-");
        try
        {
            var result = await ExternalTools.RunAsync(ExternalTools.Node, args, workingDirectory: workDir.FullName, timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.ExitCode == 0, $"conformance suite failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}\nserver:\n{server.Output}");
            return result;
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }
}

/// <summary>Liveness, readiness, discovery and SIGTERM on real processes.</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task Probes_DependencyDown_LivenessOkReadiness503_ThenReadyWhenItComesUp()
    {
        var conformancePort = ServerProcess.FreePort();
        await using var notes = await ServerProcess.StartAsync(
            "Notes",
            new Dictionary<string, string> { ["CONFORMANCE_MCP_URL"] = $"http://127.0.0.1:{conformancePort}/mcp" },
            waitReady: false);

        using (var health = await notes.Http.GetAsync(RuntimeContract.HealthPath, TestContext.Current.CancellationToken))
        using (var ready = await notes.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await using var conformance = await ServerProcess.StartAsync(
            "Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ServerPort] = conformancePort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await notes.WaitForAsync(RuntimeContract.ReadyPath);

        // Discovery end to end: notes calls conformance's echo through IMcpFleetClients.
        Assert.Contains("note 1 saved", await notes.CallToolAsync("notes_add", """{"text":"fleet"}"""), StringComparison.Ordinal);
        Assert.Contains("1: fleet", await notes.CallToolAsync("notes_list", "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ReadinessTurns503AtOnce_ServesThroughDrain_ExitsWithinBound()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__DrainDelay"] = "00:00:03" });
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

    [Fact]
    public async Task BadConfig_InvalidJson_ExitsNonZeroNamingFileLineAndColumn()
    {
        var config = Path.Combine(Path.GetTempPath(), $"mcpfleet-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, "{\n  \"name\": \"bad\",\n  \"version\": 1.0.0\n}\n", TestContext.Current.CancellationToken);
        try
        {
            await using var server = ServerProcess.Launch("Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ConfigPath] = config });
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
            Assert.Equal(2, server.ExitCode);
            Assert.Contains($"mcpfleet: invalid server configuration: {config}:3:", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task BadConfig_NameNotDns1123_ExitsNonZeroNamingTheField()
    {
        var config = Path.Combine(Path.GetTempPath(), $"mcpfleet-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "name": "Bad_Name", "version": "1.0.0" }""", TestContext.Current.CancellationToken);
        try
        {
            await using var server = ServerProcess.Launch("Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ConfigPath] = config });
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
            Assert.Equal(2, server.ExitCode);
            Assert.Contains("'name' 'Bad_Name' must be a DNS-1123 label", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
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
