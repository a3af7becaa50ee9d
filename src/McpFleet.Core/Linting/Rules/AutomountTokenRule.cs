using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class AutomountTokenRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP026", "automount-sa-token", DiagnosticSeverity.Warning,
        "automountServiceAccountToken is false on the pod or its ServiceAccount.",
        "MCP servers do not call the Kubernetes API; a mounted token is a credential an attacker who gets code execution can use against the cluster.",
        "Set `automountServiceAccountToken: false` on the pod spec (and the ServiceAccount).",
        null,
        "PO automountServiceAccountToken, CK CKV_K8S_38, TV KSV-0036");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            var pod = w.PodSpec.Bool("automountServiceAccountToken");
            if (pod == false)
            {
                continue;
            }

            var saName = w.PodSpec.Str("serviceAccountName") ?? "default";
            var sa = context.FindNamed("ServiceAccount", w.Object, saName);
            if (pod is null && sa?.Root.Bool("automountServiceAccountToken") == false)
            {
                continue;
            }

            findings.Report(w.Object, (YNode?)w.PodSpec["automountServiceAccountToken"] ?? w.Object.Root.KeyNode("spec"), "the ServiceAccount token is mounted into the pod");
        }
    }
}
