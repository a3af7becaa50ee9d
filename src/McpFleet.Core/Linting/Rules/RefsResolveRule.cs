using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class RefsResolveRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP021", "refs-resolve", DiagnosticSeverity.Warning,
        "configMapKeyRef, secretKeyRef, envFrom and configMap/secret volumes name an object in the bundle (a Secret may come from an ExternalSecret), unless marked `optional: true`.",
        "A missing ConfigMap or Secret keeps the pod in CreateContainerConfigError; the rollout hangs instead of failing the apply.",
        "Add the ConfigMap / ExternalSecret to the bundle, fix the name, or mark the reference `optional: true` when it is created elsewhere.",
        ChecklistItem.ExternalSecrets,
        "KL env-value-from");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var r in RuleHelpers.SecretRefs(w).Where(r => !r.Optional && !context.SecretExists(w.Object, r.Name)))
            {
                findings.Report(w.Object, r.Node, $"Secret '{r.Name}' is neither in the bundle nor produced by an ExternalSecret in it");
            }

            // kube-root-ca.crt is published into every namespace by the control plane.
            foreach (var r in RuleHelpers.ConfigMapRefs(w).Where(r => !r.Optional && r.Name != "kube-root-ca.crt" && !context.ConfigMapExists(w.Object, r.Name)))
            {
                findings.Report(w.Object, r.Node, $"ConfigMap '{r.Name}' is not in the bundle");
            }
        }
    }
}
