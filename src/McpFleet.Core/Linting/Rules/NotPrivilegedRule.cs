using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class NotPrivilegedRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP033", "not-privileged", DiagnosticSeverity.Error,
        "No container is privileged.",
        "A privileged container has every capability and every device of the node.",
        "Remove `privileged: true`.",
        null,
        "PSS Baseline, KL privileged-container, PO runAsPrivileged, KS container-security-context-privileged, CK CKV_K8S_16, TV KSV-0017");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers.Where(c => c.SecurityContext?.Bool("privileged") == true))
            {
                findings.Report(w.Object, c.SecurityContext!["privileged"], $"{c.Describe} is privileged");
            }
        }
    }
}
