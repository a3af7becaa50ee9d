using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class RollingUpdateRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP023", "rolling-update", DiagnosticSeverity.Warning,
        "Deployments use the RollingUpdate strategy; StatefulSets and DaemonSets do not use OnDelete.",
        "Recreate stops every pod before starting new ones: each release is an outage. OnDelete never rolls at all.",
        "Remove `strategy.type: Recreate` (RollingUpdate is the default) and set `maxUnavailable: 0`.",
        null,
        "KS deployment-strategy, KL no-rolling-update-strategy");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            var type = w.Object.Is("Deployment")
                ? w.Object.Spec?.Map("strategy")?["type"] as YScalar
                : w.Object.Kind is "StatefulSet" or "DaemonSet" ? w.Object.Spec?.Map("updateStrategy")?["type"] as YScalar : null;
            if (type?.Value is "Recreate" or "OnDelete")
            {
                findings.Report(w.Object, type, $"update strategy is {type.Value}; use RollingUpdate");
            }
        }
    }
}
