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
    public void RenderedProxiedFleet_Lint_HasNoFindingAtWarningOrAbove()
    {
        var fleet = McpFleet.Core.Tests.Rendering.TestFleets.Proxied();
        var sources = ManifestTree.Build(FleetRenderer.Render(fleet)).Select(f => new LintSource(f.RelativePath, f.Content));

        var result = new Linter(new LintOptions().WithFleet(fleet)).Lint(sources, TestContext.Current.CancellationToken);

        Assert.Equal("", string.Concat(result.Findings.Where(f => f.Severity >= DiagnosticSeverity.Warning).Select(f => f + "\n")));
    }

    [Fact]
    public void Lint_SidecarPodWhoseServerAlsoRunsTheProxy_ReportsTwoProxies()
    {
        var fleet = McpFleet.Core.Tests.Rendering.TestFleets.Proxied();
        var yaml = ManifestTree.Build(FleetRenderer.Render(fleet)).Single(f => f.RelativePath.EndsWith("/atlassian.yaml", StringComparison.Ordinal)).Content
            .Replace("      containers:\n      - args:\n", "      containers:\n      - command: [/mcpfleet/mcpfleet-proxy, stdio, --, mcp-server-atlassian]\n        args:\n", StringComparison.Ordinal);

        var result = new Linter().Lint([new LintSource("atlassian.yaml", yaml)], TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP044");
        Assert.Contains("runs 2 mcpfleet-proxy containers (sidecar 'mcpfleet-proxy', container 'atlassian')", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_StdioServerRenderedWithoutProxy_IsReportedByItsSpecOrItsCommand()
    {
        var fleet = McpFleet.Core.Tests.Rendering.TestFleets.Proxied();
        var plain = fleet with { Phases = [.. fleet.Phases.Select(p => p with { Servers = [.. p.Servers.Select(s => s with { Proxy = null })] })] };
        var sources = ManifestTree.Build(FleetRenderer.Render(plain)).Select(f => new LintSource(f.RelativePath, f.Content)).ToList();

        var withFleet = new Linter(new LintOptions().WithFleet(fleet)).Lint(sources, TestContext.Current.CancellationToken);
        var withoutFleet = new Linter().Lint(sources, TestContext.Current.CancellationToken);

        // The spec says stdio; without it, the command (npx mcp-server-github) does.
        Assert.Equal(["Deployment/mcp-github"], withFleet.Findings.Where(f => f.RuleId == "MCP044").Select(f => f.Resource));
        Assert.Equal(["Deployment/mcp-github"], withoutFleet.Findings.Where(f => f.RuleId == "MCP044").Select(f => f.Resource));
    }

    [Fact]
    public void Lint_FleetWithOwnProbePaths_HoldsEachServerToItsPathsWithFleetOnly()
    {
        var fleet = FleetResolver.Resolve(OwnProbePathsFleet());
        var sources = ManifestTree.Build(FleetRenderer.Render(fleet)).Select(f => new LintSource(f.RelativePath, f.Content)).ToList();

        var withFleet = new Linter(new LintOptions().WithFleet(fleet)).Lint(sources, TestContext.Current.CancellationToken);
        var withoutFleet = new Linter().Lint(sources, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(withFleet.Findings, f => f.RuleId == "MCP028");
        Assert.Equal(
            [
                "container 'everything' livenessProbe checks '/healthz', not /health",
                "container 'everything' readinessProbe checks '/readyz', not /ready",
                "container 'everything' startupProbe checks '/healthz', not /health",
            ],
            withoutFleet.Findings.Where(f => f.RuleId == "MCP028").Select(f => f.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lint_WorkloadSwappingAServersOwnProbePaths_IsStillReported()
    {
        var fleet = FleetResolver.Resolve(OwnProbePathsFleet());
        var yaml = ManifestTree.Build(FleetRenderer.Render(fleet)).Single(f => f.RelativePath.EndsWith("/everything.yaml", StringComparison.Ordinal)).Content
            .Replace("path: /readyz", "path: /swapped", StringComparison.Ordinal);

        var result = new Linter(new LintOptions().WithFleet(fleet)).Lint([new LintSource("everything.yaml", yaml)], TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP028");
        Assert.EndsWith("readinessProbe checks '/swapped', not /readyz", finding.Message, StringComparison.Ordinal);
    }

    private static FleetSpec OwnProbePathsFleet() => new()
    {
        Namespace = "tools",
        Callers = new Dictionary<string, string> { ["app"] = "agent" },
        Phases = [new PhaseSpec("core", ["everything", "hosted"])],
        Servers =
        [
            new ServerSpec { Name = "everything", Port = 9000, Version = "1.0.0", Probes = new ProbeOverrides { HealthPath = "/healthz", ReadyPath = "/readyz" } },
            new ServerSpec { Name = "hosted", Port = 9001, Version = "1.0.0" },
        ],
    };

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
