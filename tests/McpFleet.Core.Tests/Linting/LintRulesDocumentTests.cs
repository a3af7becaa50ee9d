using McpFleet.Linting;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

public sealed class LintRulesDocumentTests
{
    [Fact]
    public void LintRulesDoc_IsGeneratedFromTheRules()
    {
        Golden.Match(Path.Combine(Golden.RepoRoot(), "docs", "lint-rules.md"), LintRulesDocument.Generate());
    }

    [Fact]
    public void LintRulesDoc_MapsEveryChecklistItem()
    {
        var doc = LintRulesDocument.Generate();

        foreach (var item in new[] { "Docker image pushed", "Health and ready endpoints", "Resource requests/limits", "External secrets configured", "Network policies applied", "HPA configured", "Logging to stdout", "Graceful shutdown handling", "Inter-MCP communication tested", "Monitoring/metrics exposed" })
        {
            Assert.Contains("| " + item, doc, StringComparison.Ordinal);
        }

        Assert.Contains("JSON log test", doc, StringComparison.Ordinal);
        Assert.Contains("drain-under-load test", doc, StringComparison.Ordinal);
        Assert.Contains("`mcpfleet smoke`", doc, StringComparison.Ordinal);
    }
}
