using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class HpaBoundsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP071", "hpa-bounds", DiagnosticSeverity.Warning,
        "An HPA has minReplicas ≥ 2 and maxReplicas > minReplicas.",
        "minReplicas 1 (the default) scales an idle server down to a single point of failure; max = min is not autoscaling.",
        "Use the document's `minReplicas: 2`, `maxReplicas: 10`.",
        ChecklistItem.Hpa,
        "PO hpaMinAvailability/hpaMaxAvailability, KS horizontalpodautoscaler-replicas, KL hpa-minimum-three-replicas");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var hpa in context.OfKind("HorizontalPodAutoscaler"))
        {
            var spec = hpa.Spec;
            if (spec?["minReplicas"] is { } written && written is not YScalar { IsInteger: true })
            {
                continue; // MCP002 reports the type; a default read in its place would mislead
            }

            var min = spec?.Number("minReplicas") ?? 1;
            if (min < 2)
            {
                findings.Report(hpa, (YNode?)spec?["minReplicas"] ?? hpa.Root.KeyNode("spec"), $"minReplicas is {min}{(spec?["minReplicas"] is null ? " (default)" : "")}; use at least 2");
            }

            if (spec?.Number("maxReplicas") is { } max && max <= min)
            {
                findings.Report(hpa, spec["maxReplicas"], $"maxReplicas {max} is not above minReplicas {min}");
            }
        }
    }
}
