using McpFleet.Diagnostics;
using McpFleet.Linting;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

public sealed class RenderedFleetLintTests
{
    private static LintResult LintExampleFleet()
    {
        var loaded = FleetLoader.Load(Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai"));
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var resolved = FleetResolver.Resolve(loaded.Spec!);
        var files = ManifestTree.Build(FleetRenderer.Render(resolved));
        var options = new LintOptions { McpPortMin = resolved.Ports.Min, McpPortMax = resolved.Ports.Max };
        return new Linter(options).Lint(files.Select(f => new LintSource(f.RelativePath, f.Content)));
    }

    [Fact]
    public void RenderedExampleFleet_Lint_HasNoFindingAtWarningOrAbove()
    {
        var result = LintExampleFleet();

        Assert.Equal("", string.Concat(result.Findings.Where(f => f.Severity >= DiagnosticSeverity.Warning).Select(f => f + "\n")));
        Assert.True(result.ObjectCount > 100, $"{result.ObjectCount} objects");
    }

    [Fact]
    public void RenderedExampleFleet_Lint_InfoFindingsAreOnlyTheDeliberateOnes()
    {
        var result = LintExampleFleet();

        // IfNotPresent with immutable tags; the sophia-backend caller lives outside the fleet; one GPU and one stateful server.
        Assert.Equal(["MCP012", "MCP022", "MCP091"], result.Findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["Deployment/mcp-ai-memory", "Deployment/mcp-ui-ux-agent"], result.Findings.Where(f => f.RuleId == "MCP022").Select(f => f.Resource));
    }

    [Fact]
    public async Task HelmChartOutput_Lint_HasNoFindingAtWarningOrAbove()
    {
        var chart = Path.Combine(Golden.RepoRoot(), "deploy", "helm", "mcp-servers");
        var sources = new List<LintSource>();
        foreach (var values in Directory.GetFiles(Path.Combine(chart, "values"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var server = Path.GetFileNameWithoutExtension(values);
            var run = await ExternalTools.RunAsync(ExternalTools.Helm, ["template", "mcp-" + server, chart, "-f", values, "--namespace", "sophia-ai"]);
            sources.Add(new LintSource($"helm:{server}", run.EnsureSuccess().StandardOutput));
        }

        var result = new Linter().Lint(sources, TestContext.Current.CancellationToken);

        Assert.Equal(16, sources.Count);
        Assert.Equal("", string.Concat(result.Findings.Where(f => f.Severity >= DiagnosticSeverity.Warning).Select(f => f + "\n")));
    }
}
