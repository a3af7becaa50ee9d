using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class NoReplicasWithHpaRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP072", "no-replicas-with-hpa", DiagnosticSeverity.Error,
        "A workload that an HPA targets does not set spec.replicas.",
        "Every `kubectl apply` (or GitOps sync) resets the scale to the file's value, so the Deployment and the HPA fight: a scaled-out server drops to 2 pods under load on every deploy.",
        "Delete `spec.replicas` from the Deployment; the HPA's minReplicas sets the floor.",
        ChecklistItem.Hpa,
        "KS deployment-targeted-by-hpa-does-not-have-replicas-configured (CRITICAL), KICS, Kubernetes HPA docs");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var hpa in context.OfKind("HorizontalPodAutoscaler"))
        {
            if (context.TargetOf(hpa) is { ReplicasNode: not null } w)
            {
                findings.Report(w.Object, w.Object.Spec?.KeyNode("replicas"), $"sets spec.replicas although HorizontalPodAutoscaler/{hpa.Name} scales it");
            }
        }
    }
}
