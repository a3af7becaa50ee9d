using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class MetricsPortRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP008", "metrics-port", DiagnosticSeverity.Warning,
        "An MCP pod declares a container port named `metrics`; prometheus.io/port and METRICS_PORT agree with it.",
        "The document requires Prometheus metrics on /metrics; a scrape annotation or ServiceMonitor needs a declared port, and a mismatch scrapes nothing without an error.",
        $"Declare `{{name: metrics, containerPort: {RuntimeContract.DefaultMetricsPort}}}` and point prometheus.io/port and METRICS_PORT at it.",
        ChecklistItem.Metrics,
        "new (the document's Important Notes 4)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.McpWorkloads)
        {
            var metrics = w.Containers.Select(c => (c, p: c.FindPort(RuntimeContract.MetricsPortName, null))).FirstOrDefault(x => x.p is not null);
            if (metrics.p is null)
            {
                findings.Report(w.Object, (YNode?)w.McpContainer?.Node.KeyNode("ports") ?? w.McpContainer?.Node["name"],
                    $"no container declares a port named '{RuntimeContract.MetricsPortName}' for /metrics");
                continue;
            }

            var number = metrics.p.Number("containerPort");
            if (w.TemplateAnnotations.TryGetValue("prometheus.io/port", out var annotated) && annotated != number?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                findings.Report(w.Object, w.TemplateMetadata?.Map("annotations")?["prometheus.io/port"],
                    $"prometheus.io/port is '{annotated}' but the metrics port is {number}");
            }

            var env = metrics.c.Env.FirstOrDefault(e => e.Str("name") == RuntimeContract.EnvironmentVariables.MetricsPort);
            if (env?["value"] is YScalar v && v.AsInt() != number)
            {
                findings.Report(w.Object, v, $"{RuntimeContract.EnvironmentVariables.MetricsPort} is '{v.Value}' but the metrics port is {number}");
            }
        }
    }
}
