using McpFleet.Diagnostics;
using McpFleet.Linting;

namespace McpFleet.Core.Tests.Linting;

public sealed class SuppressionAndConfigTests
{
    private static string Bad(string id) => File.ReadAllText(Path.Combine(LintFixtures.Root, "rules", id, "bad.yaml"));

    [Fact]
    public void IgnoreAnnotation_WithReason_SuppressesOnlyTheListedRule()
    {
        var result = LintFixtures.Lint(Path.Combine("rules", "MCP000", "good.yaml"));

        Assert.DoesNotContain(result.Findings, f => f.RuleId is "MCP012" or "MCP000");
    }

    [Fact]
    public void IgnoreAnnotation_WithoutReason_SuppressesButReportsMcp000()
    {
        var result = LintFixtures.Lint(Path.Combine("rules", "MCP000", "bad.yaml"));

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP012");
        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP000");
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.Contains("mcpfleet.io/ignore-reason", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoreAnnotation_UnknownId_IsReported()
    {
        var yaml = Bad("MCP012").Replace("kind: Deployment\nmetadata:\n", "kind: Deployment\nmetadata:\n  annotations:\n    mcpfleet.io/ignore: MCP012,MCP999\n    mcpfleet.io/ignore-reason: test\n", StringComparison.Ordinal);

        var result = LintFixtures.LintText(yaml);

        Assert.Contains(result.Findings, f => f.RuleId == "MCP000" && f.Message.Contains("MCP999", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP012");
    }

    [Fact]
    public void Config_DisableAndRaise_Apply()
    {
        var diagnostics = new DiagnosticBag();
        var options = LintConfig.Parse(".mcpfleet-lint.yaml", "rules:\n  MCP092: off\n  MCP012: error\nmcpPorts: {min: 8000, max: 8100}\n", diagnostics);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(8000, options.McpPortMin);
        var dns = LintFixtures.LintText(Bad("MCP092"), options);
        Assert.DoesNotContain(dns.Findings, f => f.RuleId == "MCP092");
        var pull = LintFixtures.LintText(Bad("MCP012"), options);
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(pull.Findings, f => f.RuleId == "MCP012").Severity);
        Assert.Contains(pull.Findings, f => f.RuleId == "MCP007" && f.Message.Contains("outside the fleet range 8000-8100", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_UnknownRuleAndLevel_AreErrorsWithLocations()
    {
        var diagnostics = new DiagnosticBag();
        LintConfig.Parse("c.yaml", "rules:\n  MCP999: off\n  MCP012: loud\nextra: 1\n", diagnostics);

        Assert.Equal(
            ["c.yaml:2:3: error MCPLINT: unknown rule 'MCP999'", "c.yaml:3:11: error MCPLINT: 'loud' is not off, info, warning or error", "c.yaml:4:1: error MCPLINT: unknown setting 'extra' (expected rules or mcpPorts)"],
            diagnostics.Items.Select(d => d.ToString()));
    }
}
