using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class EgressAllowsDnsRule : ILintRule
{
    private enum Reach
    {
        None,
        Broad,
        KubeDns,
    }

    public LintRuleInfo Info { get; } = new(
        "MCP092", "egress-allows-dns", DiagnosticSeverity.Error,
        "When a NetworkPolicy restricts egress, the policies selecting those pods allow UDP and TCP 53 to kube-dns (port 53 to anywhere: warning).",
        "Egress isolation blocks DNS too: `mcp-<name>.<ns>.svc.cluster.local` stops resolving and every inter-MCP call times out. TCP is needed for responses over 512 bytes. The document's own policy has this bug; no other linter checks it.",
        "Add an egress rule `{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}`.",
        ChecklistItem.NetworkPolicies,
        "none (gap in every anchor tool)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var policy in context.OfKind("NetworkPolicy").Where(NetworkPolicyView.RestrictsEgress))
        {
            // Policies add up: a pod may get DNS from a separate allow-dns policy, so judge the union per pod.
            var pods = context.Selected(policy, policy.Spec?.Map("podSelector"));
            var ruleSets = pods.Count == 0
                ? [policy.Spec?.Maps("egress").ToList() ?? []]
                : pods.Select(w => context.PoliciesOf(w).Where(NetworkPolicyView.RestrictsEgress).SelectMany(p => p.Spec?.Maps("egress") ?? []).ToList()).ToList();
            var at = (YNode?)policy.Spec?.KeyNode("egress") ?? policy.Spec?.KeyNode("policyTypes") ?? policy.Root.KeyNode("spec");
            var worst = Reach.KubeDns;
            var missing = new List<string>();
            foreach (var rules in ruleSets)
            {
                foreach (var protocol in (string[])["UDP", "TCP"])
                {
                    var reach = rules.Select(r => ReachOf(policy, r, protocol)).DefaultIfEmpty(Reach.None).Max();
                    if (reach == Reach.None && !missing.Contains(protocol))
                    {
                        missing.Add(protocol);
                    }

                    worst = reach < worst ? reach : worst;
                }
            }

            if (missing.Count > 0)
            {
                findings.Report(policy, at, $"restricts egress but does not allow DNS ({string.Join(" and ", missing)} 53 to kube-dns); service names will not resolve");
            }
            else if (worst == Reach.Broad)
            {
                findings.Report(policy, at, "allows DNS on port 53 to any destination; limit it to kube-dns in kube-system", DiagnosticSeverity.Warning);
            }
        }
    }

    private static Reach ReachOf(LintObject policy, YMap rule, string protocol)
    {
        if (rule.Seq("to") is not { Items.Count: > 0 } && rule.Seq("ports") is not { Items.Count: > 0 })
        {
            // `- {}` allows all egress: nothing is restricted, so there is nothing to warn about.
            return Reach.KubeDns;
        }

        if (!NetworkPolicyView.AdmitsPort(rule, protocol, 53, protocol == "UDP" ? "dns" : "dns-tcp"))
        {
            return Reach.None;
        }

        if (rule.Seq("to") is not { Items.Count: > 0 } peers)
        {
            return Reach.Broad;
        }

        var best = Reach.None;
        foreach (var peer in peers.Maps)
        {
            var reach = PeerReach(policy, peer);
            best = reach > best ? reach : best;
        }

        return best;
    }

    private static Reach PeerReach(LintObject policy, YMap peer)
    {
        if (peer.Map("ipBlock") is { } block)
        {
            return block.Str("cidr") is "0.0.0.0/0" or "::/0" ? Reach.Broad : Reach.None;
        }

        var podSelector = peer.Map("podSelector");
        var podsOk = podSelector is null || LabelSelector.IsEmpty(podSelector)
            || LabelSelector.Matches(podSelector, new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        if (peer.Map("namespaceSelector") is { } ns)
        {
            var nsOk = LabelSelector.IsEmpty(ns)
                || LabelSelector.Matches(ns, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" });
            return nsOk && podsOk ? Reach.KubeDns : Reach.None;
        }

        // A bare podSelector only reaches the policy's own namespace.
        return policy.Namespace == "kube-system" && podsOk ? Reach.KubeDns : Reach.None;
    }
}
