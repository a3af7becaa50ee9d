using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class SpreadReplicasRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP024", "spread-replicas", DiagnosticSeverity.Info,
        "Workloads that can run 2 or more replicas spread them with pod anti-affinity or topologySpreadConstraints.",
        "Without spreading, the scheduler may put every replica on one node, and one node failure takes the server down.",
        "Add `topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: …}}}]`.",
        null,
        "KL no-anti-affinity, KS deployment-has-host-podantiaffinity, PO topologySpreadConstraint");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.IsScalable))
        {
            if (context.MaxReplicas(w) >= 2 && w.PodSpec.Map("affinity")?["podAntiAffinity"] is null
                && w.PodSpec.Seq("topologySpreadConstraints") is not { Items.Count: > 0 })
            {
                findings.Report(w.Object, w.Object.Root.KeyNode("spec"), "replicas are not spread across nodes (no podAntiAffinity or topologySpreadConstraints)");
            }
        }
    }
}
