using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class NetworkPolicySelectsPodsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP091", "netpol-selects-pods", DiagnosticSeverity.Error,
        "A NetworkPolicy's podSelector matches pods in the bundle; peer podSelectors that match nothing in the bundle are noted (info).",
        "A policy that selects nothing protects nothing, usually because its labels drifted from the pods'. A peer that matches nothing admits nobody.",
        "Use the pods' labels (the document: `tier: mcp` or `app: mcp-<name>`); an empty podSelector `{}` deliberately selects the whole namespace.",
        ChecklistItem.NetworkPolicies,
        "KL dangling-networkpolicy, dangling-networkpolicy-peer-podselector, KS networkpolicy-targets-pod");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var policy in context.OfKind("NetworkPolicy"))
        {
            var selector = policy.Spec?.Map("podSelector");
            if (policy.Spec?["podSelector"] is null && policy.Spec?.KeyNode("podSelector") is null)
            {
                findings.Report(policy, policy.Root.KeyNode("spec"), "spec.podSelector is missing");
            }
            else if (selector is not null && !LabelSelector.IsEmpty(selector) && !context.SelectsAny(policy, selector))
            {
                findings.Report(policy, selector, "podSelector matches no pod in the bundle");
            }

            var peers = (policy.Spec?.Maps("ingress").SelectMany(r => r.Maps("from")) ?? [])
                .Concat(policy.Spec?.Maps("egress").SelectMany(r => r.Maps("to")) ?? []);
            foreach (var peer in peers)
            {
                if (peer.Map("podSelector") is { } podSelector && peer["namespaceSelector"] is null
                    && !LabelSelector.IsEmpty(podSelector) && !context.SelectsAny(policy, podSelector))
                {
                    findings.Report(policy, podSelector, "peer podSelector matches no pod in the bundle (fine if those pods are deployed separately)", DiagnosticSeverity.Info);
                }
            }
        }
    }
}
