using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class StatelessWhenScaledRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP074", "stateless-when-scaled", DiagnosticSeverity.Error,
        $"An MCP server with more than one replica or an HPA declares `{RuntimeContract.Labels.SessionModeAnnotation}: stateless` on its pod template (unstated: warning).",
        "Streamable HTTP sessions live in one process; behind a Service with several replicas, the next request of a stateful session lands on another pod, which answers 404 for the Mcp-Session-Id.",
        $"Make the server stateless and annotate the pod template `{RuntimeContract.Labels.SessionModeAnnotation}: stateless`, or run one replica without an HPA (`sessionMode: stateful`).",
        ChecklistItem.Hpa,
        "new (MCP Streamable HTTP session semantics)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.McpWorkloads)
        {
            var mode = w.TemplateAnnotations.GetValueOrDefault(RuntimeContract.Labels.SessionModeAnnotation);
            var node = w.TemplateMetadata?.Map("annotations")?[RuntimeContract.Labels.SessionModeAnnotation];
            if (mode is not null and not ("stateless" or "stateful"))
            {
                findings.Report(w.Object, node, $"{RuntimeContract.Labels.SessionModeAnnotation} is '{mode}'; use stateless or stateful");
                continue;
            }

            var scaled = w.IsScalable && context.MaxReplicas(w) > 1;
            if (!scaled || mode == "stateless")
            {
                continue;
            }

            if (mode == "stateful")
            {
                findings.Report(w.Object, node, "a stateful MCP server runs more than one replica; sessions break when a request lands on another pod");
            }
            else
            {
                findings.Report(w.Object, (YNode?)w.ReplicasNode ?? w.Object.Spec?.KeyNode("template"),
                    $"runs more than one replica but does not state '{RuntimeContract.Labels.SessionModeAnnotation}: stateless' on the pod template",
                    DiagnosticSeverity.Warning);
            }
        }
    }
}
