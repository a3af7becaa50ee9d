using McpFleet.Diagnostics;
using McpFleet.Linting;

namespace McpFleet.Core.Tests.Helm;

/// <summary>McpFleet's own linter finds nothing to warn about in the chart's output for the whole example fleet.</summary>
public sealed class HelmLinterTests
{
    [Fact]
    public async Task McpfleetLint_HelmTemplateOfEveryExampleServer_NoErrorsOrWarnings()
    {
        var outputs = await HelmChart.TemplateExampleAsync();

        // One bundle, so the cross-object rules (selectors, policies, dependencies) see the whole fleet.
        var result = new Linter().Lint([new LintSource("helm-template.yaml", string.Concat(outputs))], TestContext.Current.CancellationToken);

        Assert.True(result.ObjectCount >= 16 * 6, $"only {result.ObjectCount} objects read");
        var problems = result.Findings.Where(f => f.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
