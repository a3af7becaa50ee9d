using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class PodIsolatedRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP090", "pod-isolated", DiagnosticSeverity.Warning,
        "Every pod is selected by a NetworkPolicy (MCP pods: for ingress and egress), and every policy states policyTypes.",
        "A pod no policy selects accepts traffic from anything in the cluster; an MCP server whose egress is open can exfiltrate what its tools read. Unstated policyTypes change meaning when someone adds an egress rule.",
        "Apply a NetworkPolicy per server with `policyTypes: [Ingress, Egress]` (mcpfleet render emits one).",
        ChecklistItem.NetworkPolicies,
        "KL non-isolated-pod, KS pod-networkpolicy, PO missingNetworkPolicy, CK CKV2_K8S_6");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(RuleHelpers.IsLongRunning))
        {
            var policies = context.PoliciesOf(w);
            if (policies.Count == 0)
            {
                findings.Report(w.Object, w.Object.Metadata?["name"], "no NetworkPolicy selects its pods");
            }
            else if (w.IsMcp && !policies.Any(NetworkPolicyView.RestrictsEgress))
            {
                findings.Report(w.Object, w.Object.Metadata?["name"], $"egress is not restricted: no NetworkPolicy with policyTypes Egress selects its pods ({string.Join(", ", policies.Select(p => p.Name))} restrict ingress only)");
            }
        }

        foreach (var policy in context.OfKind("NetworkPolicy"))
        {
            if (policy.Spec is { } spec && spec["policyTypes"] is null)
            {
                findings.Report(policy, policy.Root.KeyNode("spec"), "policyTypes is not stated");
            }
        }
    }
}
