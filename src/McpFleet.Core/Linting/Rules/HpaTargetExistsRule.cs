using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class HpaTargetExistsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP070", "hpa-target-exists", DiagnosticSeverity.Error,
        "An HPA's scaleTargetRef names a workload in the bundle (kind and name).",
        "An HPA whose target does not exist scales nothing and reports only in its status, which nobody reads.",
        "Set `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: mcp-<name>}` to the Deployment's exact name.",
        ChecklistItem.Hpa,
        "KL dangling-horizontalpodautoscaler, KS horizontalpodautoscaler-has-target");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var hpa in context.OfKind("HorizontalPodAutoscaler"))
        {
            var target = hpa.Spec?.Map("scaleTargetRef");
            if (target is null)
            {
                findings.Report(hpa, hpa.Root.KeyNode("spec"), "spec.scaleTargetRef is missing");
            }
            else if (context.TargetOf(hpa) is null)
            {
                findings.Report(hpa, target, $"scaleTargetRef {target.Str("kind")}/{target.Str("name")} is not in the bundle");
            }
        }
    }
}
