using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class CpuLimitSetRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP015", "cpu-limit-set", DiagnosticSeverity.Info,
        "Every container sets a CPU limit (ephemeral-storage limits are not checked).",
        "A CPU limit bounds a noisy neighbour; it also throttles, so this is advice, not a requirement.",
        "Set `resources.limits.cpu` (the document: \"1\").",
        ChecklistItem.Resources,
        "PO cpuLimitsMissing, KS container-resources, CK CKV_K8S_11, TV KSV-0011");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers.Where(c => c.Section != "ephemeralContainers" && c.Limits?["cpu"] is null))
            {
                findings.Report(w.Object, (YNode?)c.Node.KeyNode("resources") ?? c.Node["name"], $"{c.Describe} has no cpu limit");
            }
        }
    }
}
