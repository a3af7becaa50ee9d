using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>
/// One NetworkPolicy per server (the document has one for the namespace): ingress from MCP pods and the callers on the
/// MCP port and from the monitoring namespace on the metrics port; egress to kube-dns, to each dependency's MCP port and
/// to the declared external destinations.
/// </summary>
internal static class NetworkPolicyBuilder
{
    /// <summary>
    /// Ranges left out of a host rule so "the internet on port 443" opens neither the cluster network (the private
    /// ranges) nor link-local addresses, where clouds serve instance metadata and credentials (169.254.169.254).
    /// IPv6 needs no list: a host rule opens only 0.0.0.0/0, so no IPv6 destination is reachable through it.
    /// </summary>
    private static readonly string[] s_privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

    public static V1NetworkPolicy Build(ServerContext c)
    {
        var fleet = c.Fleet;
        var callers = new List<V1NetworkPolicyPeer>(2)
        {
            new() { PodSelector = MatchLabels(RuntimeContract.Labels.Tier, RuntimeContract.Labels.TierMcp) },
        };
        if (fleet.Callers.Count > 0)
        {
            callers.Add(new V1NetworkPolicyPeer
            {
                PodSelector = new V1LabelSelector { MatchLabels = fleet.Callers.ToDictionary(StringComparer.Ordinal) },
            });
        }

        var egress = new List<V1NetworkPolicyEgressRule>(1 + c.Upstreams.Count + c.Spec.Egress.Count)
        {
            // The document's policy lists Egress without DNS, which breaks every name lookup, the dependency URLs included.
            new()
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = MatchLabels(WellKnown.NamespaceNameLabel, "kube-system"),
                        PodSelector = MatchLabels("k8s-app", "kube-dns"),
                    },
                ],
                Ports = [Port(WellKnown.Udp, 53), Port(WellKnown.Tcp, 53)],
            },
        };
        foreach (var dependency in c.Upstreams)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { PodSelector = MatchLabels(RuntimeContract.Labels.App, RuntimeContract.Labels.NamePrefix + dependency.Name) }],
                Ports = [Port(WellKnown.Tcp, dependency.Port)],
            });
        }

        foreach (var rule in c.Spec.Egress)
        {
            // NetworkPolicy cannot match DNS names: a host rule opens the public internet (not the private ranges) on its ports.
            var block = rule.Cidr is { } cidr
                ? new V1IPBlock { Cidr = cidr }
                : new V1IPBlock { Cidr = "0.0.0.0/0", Except = [.. s_privateRanges] };
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = block }],
                Ports = rule.Ports.Count > 0 ? rule.Ports.Select(p => Port(WellKnown.Tcp, p)).ToList() : null,
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = V1NetworkPolicy.KubeKind,
            Metadata = c.Metadata(c.Name),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = c.Selector() },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule { FromProperty = callers, Ports = [Port(WellKnown.Tcp, c.Spec.Port)] },
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = MatchLabels(WellKnown.NamespaceNameLabel, fleet.MonitoringNamespace) }],
                        Ports = [Port(WellKnown.Tcp, fleet.MetricsPort)],
                    },
                ],
                Egress = egress,
            },
        };
    }

    private static V1LabelSelector MatchLabels(string key, string value) =>
        new() { MatchLabels = new Dictionary<string, string>(1, StringComparer.Ordinal) { [key] = value } };

    private static V1NetworkPolicyPort Port(string protocol, int port) => new() { Protocol = protocol, Port = port };
}
