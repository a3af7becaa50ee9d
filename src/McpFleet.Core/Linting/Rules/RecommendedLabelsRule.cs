using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class RecommendedLabelsRule : ILintRule
{
    private static readonly string[] s_keys =
    [
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
        "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
    ];

    public LintRuleInfo Info { get; } = new(
        "MCP005", "recommended-labels", DiagnosticSeverity.Warning,
        "Objects carry the recommended app.kubernetes.io/{name,instance,version,component,part-of,managed-by} labels.",
        "Dashboards, `kubectl get -l`, Helm adoption and cost reports group objects by these labels; without them a fleet of 16 servers is a flat list.",
        "Add the six labels (mcpfleet render and the Helm chart set them).",
        null,
        "HL best practices, KL required-label-*, PO metadataAndInstanceMismatched");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            if (obj.Kind is "Namespace" or "")
            {
                continue;
            }

            var missing = s_keys.Where(k => !obj.Labels.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                findings.Report(obj, (YNode?)obj.Metadata?.KeyNode("labels") ?? obj.Root.KeyNode("metadata"),
                    $"missing recommended labels: {string.Join(", ", missing)}");
            }
        }
    }
}
