using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class HpaNeedsRequestsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP073", "hpa-needs-requests", DiagnosticSeverity.Error,
        "For each Utilization metric of an HPA, every container of the target requests that resource.",
        "Utilization is usage divided by request; when a container has no request the HPA cannot compute it and takes no action at all.",
        "Set `resources.requests.cpu` / `.memory` on every container of the target.",
        ChecklistItem.Hpa,
        "Kubernetes HPA docs (algorithm details)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var hpa in context.OfKind("HorizontalPodAutoscaler"))
        {
            if (context.TargetOf(hpa) is not { } w)
            {
                continue;
            }

            var metrics = new List<(YNode Node, string Resource, string? Container)>();
            foreach (var metric in hpa.Spec?.Maps("metrics") ?? [])
            {
                var source = metric.Map("resource") ?? metric.Map("containerResource");
                var isUtilization = source?.Map("target")?.Str("type") == "Utilization" || source?["targetAverageUtilization"] is not null;
                if (source?.Str("name") is { } resource && isUtilization)
                {
                    metrics.Add((metric, resource, metric.Map("containerResource")?.Str("container")));
                }
            }

            if (hpa.Spec?["targetCPUUtilizationPercentage"] is { } v1)
            {
                metrics.Add((v1, "cpu", null));
            }

            foreach (var (node, resource, container) in metrics)
            {
                foreach (var c in w.Containers.Where(c => (container is null || c.Name == container) && c.Requests?[resource] is null))
                {
                    findings.Report(hpa, node, $"scales on {resource} utilization but {c.Describe} of {w.Object.DisplayName} has no {resource} request");
                }
            }
        }
    }
}
