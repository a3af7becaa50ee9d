using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class SelectorMatchesTemplateRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP010", "selector-matches-template", DiagnosticSeverity.Error,
        "Deployments, StatefulSets, DaemonSets and ReplicaSets have spec.selector, and it matches the pod template's labels.",
        "apps/v1 requires a selector, and the API server rejects one that does not match the template; a selector is immutable, so it must also be right the first time.",
        "Add `selector.matchLabels` with the stable labels (the document uses `app: mcp-<name>`) and put the same labels on the pod template.",
        null,
        "KL mismatching-selector, KS deployment-pod-selector-labels-match-template-metadata-labels, HL");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.Object.Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"))
        {
            var selector = w.Object.Spec?.Map("selector");
            if (selector is null || LabelSelector.IsEmpty(selector))
            {
                findings.Report(w.Object, (YNode?)w.Object.Spec?.KeyNode("selector") ?? w.Object.Root.KeyNode("spec"), "spec.selector is missing or empty");
            }
            else if (!LabelSelector.Matches(selector, w.TemplateLabels))
            {
                findings.Report(w.Object, selector, "spec.selector does not match the pod template's labels");
            }
        }
    }
}
