using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class NoPrivilegeEscalationRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP032", "no-priv-escalation", DiagnosticSeverity.Error,
        "Every container sets allowPrivilegeEscalation: false explicitly.",
        "Unset means allowed (setuid binaries can gain privileges); Pod Security Restricted rejects a pod that does not say false.",
        "Add `securityContext: {allowPrivilegeEscalation: false}` to every container.",
        null,
        "PSS Restricted, KL privilege-escalation-container, PO privilegeEscalationAllowed, CK CKV_K8S_20, TV KSV-0001");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.PodSpec.Map("os")?.Str("name") != "windows"))
        {
            foreach (var c in w.AllContainers)
            {
                var value = c.SecurityContext?["allowPrivilegeEscalation"] as YScalar;
                if (value?.AsBool() != false)
                {
                    findings.Report(w.Object, (YNode?)value ?? c.Node.KeyNode("securityContext") ?? c.Node["name"],
                        $"{c.Describe} does not set allowPrivilegeEscalation: false");
                }
            }
        }
    }
}
