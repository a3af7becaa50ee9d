using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class SeccompRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP035", "seccomp", DiagnosticSeverity.Error,
        "seccompProfile.type is RuntimeDefault or Localhost on the pod or on every container, and never Unconfined.",
        "Without a seccomp profile every syscall is open to the process; Pod Security Restricted requires one.",
        "Set `securityContext: {seccompProfile: {type: RuntimeDefault}}` on the pod.",
        null,
        "PSS Restricted, PO linuxHardening, KS container-seccomp-profile, CK CKV_K8S_31, TV KSV-0030");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            var podType = w.PodSpec.Map("securityContext")?.Map("seccompProfile")?["type"] as YScalar;
            if (podType?.Value == "Unconfined")
            {
                findings.Report(w.Object, podType, "the pod's seccompProfile is Unconfined");
            }

            var podOk = podType?.Value is "RuntimeDefault" or "Localhost";
            foreach (var c in w.AllContainers)
            {
                var type = c.SecurityContext?.Map("seccompProfile")?["type"] as YScalar;
                if (type?.Value == "Unconfined")
                {
                    findings.Report(w.Object, type, $"{c.Describe} seccompProfile is Unconfined");
                }
                else if (!podOk && type?.Value is not ("RuntimeDefault" or "Localhost"))
                {
                    findings.Report(w.Object, (YNode?)c.Node.KeyNode("securityContext") ?? c.Node["name"],
                        $"{c.Describe} has no seccompProfile (RuntimeDefault) on the pod or the container");
                }
            }
        }
    }
}
