using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class NonRootGroupRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP039", "non-root-group", DiagnosticSeverity.Warning,
        "runAsGroup, fsGroup and supplementalGroups are not 0.",
        "GID 0 gives the process the root group's access to files on mounted volumes and in the image.",
        "Use `runAsGroup: 65532` and `fsGroup: 65532`.",
        null,
        "TV KSV-0116");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            var pod = w.PodSpec.Map("securityContext");
            var candidates = new List<(YNode? Node, string Where)>
            {
                (pod?["runAsGroup"], "the pod's runAsGroup"),
                (pod?["fsGroup"], "the pod's fsGroup"),
            };
            candidates.AddRange(pod?.Seq("supplementalGroups")?.Items.Select(i => ((YNode?)i, "the pod's supplementalGroups")) ?? []);
            candidates.AddRange(w.AllContainers.Select(c => (c.SecurityContext?["runAsGroup"], $"{c.Describe} runAsGroup")));
            foreach (var (node, where) in candidates)
            {
                if (node is YScalar s && s.AsInt() == 0)
                {
                    findings.Report(w.Object, s, $"{where} is 0 (root group)");
                }
            }
        }
    }
}
