using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ServiceSelectsPodsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP040", "service-selects-pods", DiagnosticSeverity.Error,
        "A Service's selector matches the pod template of a workload in the bundle.",
        "A Service that selects nothing has no endpoints: clients get connection refused, and `mcp-<name>.<ns>.svc.cluster.local` resolves to a dead address.",
        "Make the Service selector a subset of the pod template labels (the document uses `app: mcp-<name>`).",
        ChecklistItem.InterMcpCommunication,
        "KL dangling-service, KS service-targets-pod");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var service in context.OfKind("Service"))
        {
            if (service.Spec?.Map("selector") is { Entries.Count: > 0 } selector && context.SelectedByService(service).Count == 0)
            {
                findings.Report(service, selector, "selector matches no pod template in the bundle");
            }
        }
    }
}
