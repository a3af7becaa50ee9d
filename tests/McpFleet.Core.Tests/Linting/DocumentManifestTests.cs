using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

/// <summary>The YAML blocks of deployment-patterns.md, placeholders filled (gong, 9005, 2.0.0), linted as one bundle.</summary>
public sealed class DocumentManifestTests
{
    [Fact]
    public void DocumentManifests_Lint_ExactFindings()
    {
        var result = LintFixtures.Lint("document/manifests");

        Golden.Match("../testdata/lint/document/expected.txt", LintFixtures.Format(result));
    }

    [Theory]
    [InlineData("document/manifests/8-networkpolicy.yaml", "MCP092", 25)] // egress to tier: mcp only: DNS blocked
    [InlineData("document/manifests/1-deployment.yaml", "MCP030", 23)] // no securityContext: may run as root
    [InlineData("document/manifests/1-deployment.yaml", "MCP032", 23)]
    [InlineData("document/manifests/1-deployment.yaml", "MCP034", 23)]
    [InlineData("document/manifests/1-deployment.yaml", "MCP035", 23)]
    [InlineData("document/manifests/1-deployment.yaml", "MCP072", 11)] // replicas: 2 under the HPA
    [InlineData("document/manifests/4-externalsecret.yaml", "MCP060", 1)] // external-secrets.io/v1beta1
    [InlineData("document/manifests/5-gpu-deployment.yaml", "MCP010", 6)] // GPU example: no selector
    [InlineData("document/manifests/5-gpu-deployment.yaml", "MCP009", 10)] // GPU example: no toleration
    [InlineData("document/manifests/5-gpu-deployment.yaml", "MCP016", 14)] // GPU example: no probes
    [InlineData("document/manifests/7-service-discovery.yaml", "MCP001", 5)] // the Python block is not an object
    public void DocumentManifests_Lint_ReportsTheKnownDefects(string file, string rule, int line)
    {
        var result = LintFixtures.Lint("document/manifests");

        Assert.Contains(result.Findings, f => f.Location.File == file && f.RuleId == rule && f.Location.Line == line
            && f.Severity == McpFleet.Diagnostics.DiagnosticSeverity.Error);
    }

    [Fact]
    public void DocumentGpuExample_Lint_FlagsTheUnstatedSurge()
    {
        var result = LintFixtures.Lint("document/manifests");

        Assert.Contains(result.Findings, f => f.RuleId == "MCP009" && f.Message.Contains("maxSurge 25% (the default)", StringComparison.Ordinal));
    }
}
