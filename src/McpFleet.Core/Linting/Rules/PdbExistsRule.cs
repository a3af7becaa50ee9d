using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class PdbExistsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP080", "pdb-exists", DiagnosticSeverity.Warning,
        "A workload that can run 2 or more replicas is selected by a PodDisruptionBudget.",
        "Without a PDB a node drain (a K3s upgrade) may evict every replica at once.",
        "Add a PodDisruptionBudget `{maxUnavailable: 1, selector: {matchLabels: {app: mcp-<name>}}, unhealthyPodEvictionPolicy: AlwaysAllow}`.",
        null,
        "PO missingPodDisruptionBudget, KS deployment-has-poddisruptionbudget");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.Object.Kind is "Deployment" or "StatefulSet"))
        {
            if (context.MaxReplicas(w) >= 2 && context.PdbsOf(w).Count == 0)
            {
                findings.Report(w.Object, w.Object.Metadata?["name"], "runs several replicas but no PodDisruptionBudget selects its pods");
            }
        }
    }
}
