using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class PdbAllowsDisruptionRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP081", "pdb-allows-disruption", DiagnosticSeverity.Error,
        "A PDB sets exactly one of minAvailable/maxUnavailable, allows at least one disruption (not maxUnavailable 0, minAvailable 100% or ≥ replicas), and uses unhealthyPodEvictionPolicy AlwaysAllow (info).",
        "A PDB that allows no disruption blocks every node drain forever; with the default policy a crash-looping pod blocks drains too.",
        "Use `maxUnavailable: 1` and `unhealthyPodEvictionPolicy: AlwaysAllow`.",
        null,
        "KL pdb-max-unavailable, pdb-min-available, pdb-unhealthy-pod-eviction-policy, PO pdbDisruptionsIsZero, KS poddisruptionbudget-has-policy");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var pdb in context.OfKind("PodDisruptionBudget"))
        {
            var spec = pdb.Spec;
            var min = spec?["minAvailable"] as YScalar;
            var max = spec?["maxUnavailable"] as YScalar;
            if ((min is null) == (max is null))
            {
                findings.Report(pdb, (YNode?)pdb.Root.KeyNode("spec") ?? pdb.Root, "set exactly one of minAvailable and maxUnavailable");
            }
            else if (max is not null && max.Value is "0" or "0%")
            {
                findings.Report(pdb, max, "maxUnavailable 0 blocks every voluntary disruption (node drains hang)");
            }
            else if (min is not null && min.Value == "100%")
            {
                findings.Report(pdb, min, "minAvailable 100% blocks every voluntary disruption (node drains hang)");
            }
            else if (min?.AsInt() is { } minAvailable)
            {
                foreach (var w in context.Selected(pdb, spec?.Map("selector")).Where(w => context.HpasOf(w).Count == 0 && w.ReplicasNode is null or { IsInteger: true }))
                {
                    var replicas = w.ReplicasNode?.AsInt() ?? 1;
                    if (minAvailable >= replicas)
                    {
                        findings.Report(pdb, min, $"minAvailable {minAvailable} ≥ the {replicas} replicas of {w.Object.DisplayName}: no pod may be evicted");
                    }
                }
            }

            if (spec?["unhealthyPodEvictionPolicy"] is not YScalar { Value: "AlwaysAllow" })
            {
                findings.Report(pdb, (YNode?)spec?["unhealthyPodEvictionPolicy"] ?? pdb.Root.KeyNode("spec"),
                    "unhealthyPodEvictionPolicy is not AlwaysAllow; crash-looping pods can block node drains", DiagnosticSeverity.Info);
            }
        }
    }
}
