using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class PullPolicyRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP012", "pull-policy", DiagnosticSeverity.Info,
        "imagePullPolicy is `Always` (opinionated; `IfNotPresent` is fine with pinned tags).",
        "With `Always` a re-pushed tag reaches every node; with pinned, immutable tags `IfNotPresent` avoids a registry round trip per start.",
        "Set `imagePullPolicy: Always`, or keep IfNotPresent and never re-push a tag (disable MCP012 in .mcpfleet-lint.yaml).",
        ChecklistItem.ImagePushed,
        "PO pullPolicyNotAlways, KS container-image-pull-policy, CK CKV_K8S_15");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.Containers)
            {
                var policy = c.Node["imagePullPolicy"] as YScalar;
                if (policy?.Value != "Always")
                {
                    findings.Report(w.Object, (YNode?)policy ?? c.Node["name"], $"{c.Describe} imagePullPolicy is {policy?.Value ?? "unset"}, not Always");
                }
            }
        }
    }
}
