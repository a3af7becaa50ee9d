using McpFleet.Diagnostics;
using McpFleet.Linting;

namespace McpFleet.Core.Tests.Linting;

public sealed class LoaderTests
{
    [Fact]
    public void Lint_DuplicateKey_IsMcp001AtTheSecondKey()
    {
        var result = LintFixtures.LintText("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP001");
        Assert.Equal(new SourceLocation("test.yaml", 5, 3), finding.Location);
        Assert.Contains("duplicate key 'name' (first at line 4)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_SyntaxError_IsMcp001AndEarlierDocumentsAreLinted()
    {
        var result = LintFixtures.LintText("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\nkind: [unclosed\n");

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP001");
        Assert.Equal("test.yaml", finding.Location.File);
        Assert.True(finding.Location.Line >= 6, finding.ToString());
        Assert.StartsWith("YAML syntax error", finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.ObjectCount);
    }

    [Fact]
    public void Lint_MissingKindAndName_AreMcp001()
    {
        var result = LintFixtures.LintText("apiVersion: v1\nmetadata: {}\n");

        Assert.Equal(["object has no kind", "object has no metadata.name"],
            result.Findings.Where(f => f.RuleId == "MCP001").Select(f => f.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lint_FieldLocation_PointsAtTheOffendingValue()
    {
        var result = LintFixtures.LintText("apiVersion: apps/v1beta1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: n\n");

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP003");
        Assert.Equal(new SourceLocation("test.yaml", 1, 13), finding.Location);
    }

    [Fact]
    public void Lint_ListKind_LintsEachItem()
    {
        var result = LintFixtures.LintText("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n");

        Assert.Equal(2, result.ObjectCount);
        Assert.Equal(["ConfigMap/a", "ConfigMap/b"], result.Findings.Where(f => f.RuleId == "MCP006").Select(f => f.Resource));
    }

    [Fact]
    public void Lint_MergeKeyAndAnchor_AreResolvedWithinADocument()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: n\n  labels: &l {x: y}\n  annotations:\n    <<: *l\n    x: z\ndata: {}\n";

        var result = LintFixtures.LintText(yaml);

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP001");
    }

    [Fact]
    public void LintSource_Directory_FindsYamlAndYmlRecursivelyInOrder()
    {
        var sources = LintSource.FromPath(Path.Combine(LintFixtures.Root, "document"), "document")!;

        Assert.Equal(
            [.. Enumerable.Range(0, 8).Select(i => sources[i].Path)],
            sources.Take(8).Select(s => s.Path).Order(StringComparer.Ordinal));
        Assert.Contains(sources, s => s.Path == "document/manifests/1-deployment.yaml");
        Assert.Contains(sources, s => s.Path == "document/values/gong.yaml");
        Assert.Null(LintSource.FromPath(Path.Combine(LintFixtures.Root, "nope"), "nope"));
    }
}

public sealed class DeterminismTests
{
    [Fact]
    public void Lint_ParallelParseAndRules_GiveTheSameOutputEveryRun()
    {
        var first = LintFixtures.Format(LintFixtures.Lint("."));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(first, LintFixtures.Format(LintFixtures.Lint(".")));
        }
    }
}

public sealed class RuleEdgeCaseTests
{
    private static string Compliant() => File.ReadAllText(Path.Combine(LintFixtures.Root, "rules", "compliant.yaml"));

    [Fact]
    public void Mcp092_AllowAllEgressRule_IsNotReported()
    {
        var yaml = Compliant().Replace("  egress:\n  - to:\n    - namespaceSelector:", "  egress:\n  - {}\n  - to:\n    - namespaceSelector:", StringComparison.Ordinal);

        var result = LintFixtures.LintText(yaml);

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP092");
    }

    [Fact]
    public void Mcp092_DnsToAnywhere_IsAWarning()
    {
        var yaml = Compliant().Replace(
            "  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:",
            "  - ports:", StringComparison.Ordinal);

        var result = LintFixtures.LintText(yaml);

        Assert.Equal(McpFleet.Diagnostics.DiagnosticSeverity.Warning, Assert.Single(result.Findings, f => f.RuleId == "MCP092").Severity);
    }

    [Fact]
    public void Mcp021_KubeRootCa_IsAlwaysThere()
    {
        var yaml = Compliant().Replace("      - name: tmp\n        emptyDir: {}", "      - name: tmp\n        emptyDir: {}\n      - name: ca\n        configMap:\n          name: kube-root-ca.crt", StringComparison.Ordinal);

        var result = LintFixtures.LintText(yaml);

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP021");
    }
}
