using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ReplicasMinRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP022", "replicas-min", DiagnosticSeverity.Warning,
        "Deployments and StatefulSets run at least 2 replicas unless an HPA owns the count (GPU and stateful MCP servers: info).",
        "One replica means every node drain, rollout or crash is an outage; the document defaults to 2 for HA.",
        "Set `replicas: 2` or more, or let an HPA with minReplicas ≥ 2 own it. A single-replica GPU server, or a stateful MCP server (which MCP074 keeps at one replica), is a deliberate trade-off and only noted.",
        null,
        "PO deploymentMissingReplicas, KS deployment-replicas, KL minimum-three-replicas");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.Object.Kind is "Deployment" or "StatefulSet"))
        {
            if (context.HpasOf(w).Count > 0 || w.ReplicasNode is { IsInteger: false })
            {
                continue; // a replicas that is no integer is MCP002's, not a count to judge
            }

            var replicas = w.ReplicasNode?.AsInt() ?? 1;
            if (replicas < 2)
            {
                findings.Report(w.Object, (YNode?)w.ReplicasNode ?? w.Object.Root.KeyNode("spec"),
                    $"runs {replicas} replica{(w.ReplicasNode is null ? " (replicas unset)" : "")}; an outage on every rollout or node drain",
                    w.HasGpu || IsStateful(w) ? DiagnosticSeverity.Info : null);
            }
        }
    }

    private static bool IsStateful(Workload w) =>
        w.TemplateAnnotations.TryGetValue(RuntimeContract.Labels.SessionModeAnnotation, out var mode) && mode == "stateful";
}
