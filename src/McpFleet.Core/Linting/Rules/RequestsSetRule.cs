using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class RequestsSetRule : ILintRule
{
    private static readonly string[] s_resources = ["cpu", "memory"];

    public LintRuleInfo Info { get; } = new(
        "MCP013", "requests-set", DiagnosticSeverity.Error,
        "Every container sets cpu and memory requests.",
        "The scheduler places pods by requests; without them a node is overcommitted and an HPA on Utilization has nothing to divide by.",
        "Set `resources.requests.cpu` and `.memory` (the document: 500m and 1Gi).",
        ChecklistItem.Resources,
        "KL unset-cpu-requirements, PO cpuRequestsMissing/memoryRequestsMissing, KS container-resources, CK CKV_K8S_10/12, TV KSV-0015/0016");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers.Where(c => c.Section != "ephemeralContainers"))
            {
                var missing = s_resources.Where(r => c.Requests?[r] is null).ToList();
                if (missing.Count > 0)
                {
                    findings.Report(w.Object, (YNode?)c.Node.KeyNode("resources") ?? c.Node["name"],
                        $"{c.Describe} has no {string.Join(" or ", missing)} request");
                }
            }
        }
    }
}
