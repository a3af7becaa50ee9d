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
