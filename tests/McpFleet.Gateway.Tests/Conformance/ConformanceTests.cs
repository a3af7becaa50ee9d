using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Conformance;

/// <summary>The official MCP conformance suite through the gateway, with the Conformance server as its one upstream (no prefix).</summary>
public sealed class ConformanceTests
{
    private static string ExpectedFailures => Path.Combine(AppContext.BaseDirectory, "conformance-expected-failures.yml");

    [Fact]
    public async Task ConformanceSuite_OneFrontedServerWithoutPrefix_PassesAllButTheListedScenarios()
    {
        await using var upstream = await LoopbackFleet.StartConformance("conformance").WaitReadyAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "conformance", ["url"] = upstream.McpUrl.ToString(), ["prefix"] = "" }),
        });
        await gateway.WaitForUpstreamAsync("conformance", "up");

        var workDir = Directory.CreateTempSubdirectory("mcpfleet-gateway-conformance-");
        try
        {
            var result = await ExternalTools.RunAsync(
                ExternalTools.Node,
                [
                    Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "conformance", "dist", "index.js"),
                    "server", "--url", gateway.McpUrl.ToString(), "--suite", "active", "--expected-failures", ExpectedFailures,
                ],
                workingDirectory: workDir.FullName,
                timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.ExitCode == 0, $"conformance suite failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}\n{gateway.Process.Output}");
            Assert.Contains("tools-call-simple-text: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("tools-call-with-progress: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("dns-rebinding-protection: 2 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }
}
