using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class MemoryLimitSetRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP014", "memory-limit-set", DiagnosticSeverity.Warning,
        "Every container sets a memory limit.",
        "Memory is not compressible: a leaking server without a limit takes the node down with its neighbours instead of being OOM-killed alone.",
        "Set `resources.limits.memory` (the document: 2Gi).",
        ChecklistItem.Resources,
        "KL unset-memory-requirements, PO memoryLimitsMissing, CK CKV_K8S_13, TV KSV-0018");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers.Where(c => c.Section != "ephemeralContainers" && c.Limits?["memory"] is null))
            {
                findings.Report(w.Object, (YNode?)c.Node.KeyNode("resources") ?? c.Node["name"], $"{c.Describe} has no memory limit");
            }
        }
    }
}
