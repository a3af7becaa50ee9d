using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class RunAsNonRootRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP030", "run-as-non-root", DiagnosticSeverity.Error,
        "runAsNonRoot is true at pod level (and no container sets false), or on every container.",
        "Pod Security Restricted requires it; a root process in a container is one kernel bug away from root on the node.",
        "Set `securityContext: {runAsNonRoot: true, runAsUser: 65532}` on the pod.",
        null,
        "PSS Restricted, KL run-as-non-root, PO runAsRootAllowed, CK CKV_K8S_23, TV KSV-0012");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.PodSpec.Bool("hostUsers") != false))
        {
            var pod = w.PodSpec.Map("securityContext")?.Bool("runAsNonRoot");
            foreach (var c in w.AllContainers)
            {
                var own = c.SecurityContext?["runAsNonRoot"] as YScalar;
                if (own?.AsBool() == false)
                {
                    findings.Report(w.Object, own, $"{c.Describe} sets runAsNonRoot: false");
                }
                else if (pod != true && own?.AsBool() != true)
                {
                    findings.Report(w.Object, (YNode?)c.Node.KeyNode("securityContext") ?? c.Node["name"],
                        $"{c.Describe} may run as root: runAsNonRoot is not true on the pod or the container");
                }
            }
        }
    }
}
