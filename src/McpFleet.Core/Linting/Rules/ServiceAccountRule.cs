using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ServiceAccountRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP025", "service-account", DiagnosticSeverity.Warning,
        "Pods run as a dedicated ServiceAccount that is in the bundle, set with serviceAccountName (not the deprecated serviceAccount).",
        "The `default` ServiceAccount is shared by everything in the namespace, so any RBAC granted to one server leaks to all.",
        "Add a ServiceAccount `mcp-<name>` and set `serviceAccountName` to it.",
        null,
        "KL non-existent-service-account, deprecated-service-account-field, default-service-account, CK CKV_K8S_41");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            if (w.PodSpec.KeyNode("serviceAccount") is { } deprecated)
            {
                findings.Report(w.Object, deprecated, "uses the deprecated 'serviceAccount' field; use serviceAccountName");
            }

            var name = w.PodSpec["serviceAccountName"] as YScalar;
            if (name is null || name.Value == "default")
            {
                findings.Report(w.Object, (YNode?)name ?? w.Object.Root.KeyNode("spec"), "runs as the namespace's 'default' ServiceAccount");
            }
            else if (context.FindNamed("ServiceAccount", w.Object, name.Value) is null)
            {
                findings.Report(w.Object, name, $"ServiceAccount '{name.Value}' is not in the bundle");
            }
        }
    }
}
