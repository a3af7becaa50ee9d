using McpFleet.Diagnostics;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

/// <summary>kompose's conversion of the gong compose file (testdata/lint/kompose), as a reviewer would review it.</summary>
public sealed class KomposeTests
{
    [Fact]
    public void KomposeOutput_Lint_ExactFindings()
    {
        var result = LintFixtures.Lint("kompose/converted");

        Golden.Match("../testdata/lint/kompose/expected.txt", LintFixtures.Format(result));
    }

    [Theory]
    [InlineData("MCP011", "mcp-gong-deployment.yaml")] // image :latest
    [InlineData("MCP020", "mcp-gong-deployment.yaml")] // literal GONG_API_KEY and GONG_ACCESS_SECRET
    [InlineData("MCP050", "gong-env-configmap.yaml")] // env_file with a token went into a ConfigMap
    [InlineData("MCP016", "mcp-gong-deployment.yaml")] // no probes at all
    [InlineData("MCP072", "mcp-gong-deployment.yaml")] // replicas kept next to the kompose.hpa.* HPA
    [InlineData("MCP007", "mcp-gong-deployment.yaml")] // no tier: mcp, no port named mcp
    [InlineData("MCP030", "mcp-gong-deployment.yaml")] // no securityContext
    public void KomposeOutput_Lint_ReportsWhatAReviewerWould(string rule, string file)
    {
        var result = LintFixtures.Lint("kompose/converted");

        Assert.Contains(result.Findings, f => f.RuleId == rule && f.Location.File == "kompose/converted/" + file && f.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void KomposeOutput_IngressOnlyPolicy_LeavesEgressOpen()
    {
        var result = LintFixtures.Lint("kompose/converted");

        Assert.Contains(result.Findings, f => f.RuleId == "MCP090" && f.Message.Contains("egress is not restricted", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleId == "MCP090" && f.Resource == "NetworkPolicy/gong-mcp" && f.Message == "policyTypes is not stated");
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP092"); // no egress isolation, so DNS is not blocked
    }
}
