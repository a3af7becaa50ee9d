using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class PdbVersusHpaRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP082", "pdb-vs-hpa", DiagnosticSeverity.Warning,
        "A PDB's minAvailable is below the minReplicas of the HPA that scales the pods it selects.",
        "When the HPA scales down to minReplicas, a minAvailable at or above it allows no eviction and blocks drains.",
        "Use `maxUnavailable: 1`, or keep minAvailable below the HPA's minReplicas.",
        ChecklistItem.Hpa,
        "PO pdbMinAvailableGreaterThanHPAMinReplicas");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var pdb in context.OfKind("PodDisruptionBudget"))
        {
            if (pdb.Spec?["minAvailable"] is not YScalar min || min.AsInt() is not { } minAvailable)
            {
                continue;
            }

            foreach (var w in context.Selected(pdb, pdb.Spec.Map("selector")))
            {
                foreach (var hpa in context.HpasOf(w))
                {
                    var hpaMin = hpa.Spec?.Number("minReplicas") ?? 1;
                    if (minAvailable >= hpaMin)
                    {
                        findings.Report(pdb, min, $"minAvailable {minAvailable} ≥ minReplicas {hpaMin} of HorizontalPodAutoscaler/{hpa.Name}");
                    }
                }
            }
        }
    }
}
