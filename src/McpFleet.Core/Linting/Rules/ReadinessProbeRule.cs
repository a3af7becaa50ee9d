using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ReadinessProbeRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP016", "readiness-probe", DiagnosticSeverity.Error,
        "Serving containers of pods behind a Service (and of every MCP pod) have a readinessProbe.",
        "Without readiness, a pod receives traffic before it can answer and during its shutdown drain; MCP clients see connection resets.",
        $"Add `readinessProbe: {{httpGet: {{path: {RuntimeContract.ReadyPath}, port: {RuntimeContract.McpPortName}}}}}`.",
        ChecklistItem.HealthEndpoints,
        "KL no-readiness-probe, PO readinessProbeMissing, KS pod-probes, CK CKV_K8S_9");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(RuleHelpers.IsLongRunning))
        {
            if (!w.IsMcp && context.ServicesOf(w).Count == 0)
            {
                continue;
            }

            foreach (var c in RuleHelpers.ServingContainers(w).Where(c => c.Node["readinessProbe"] is null))
            {
                findings.Report(w.Object, c.Node["name"], $"{c.Describe} has no readinessProbe");
            }
        }
    }
}
