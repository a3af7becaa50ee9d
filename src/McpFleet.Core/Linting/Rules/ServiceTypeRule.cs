using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ServiceTypeRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP042", "service-type", DiagnosticSeverity.Warning,
        "Services are ClusterIP: no NodePort, LoadBalancer or externalIPs.",
        "MCP servers are reached by other pods through cluster DNS; a node port or load balancer exposes an unauthenticated tool API outside the cluster and bypasses NetworkPolicy ingress rules from outside.",
        "Use `type: ClusterIP` and expose callers through an authenticated gateway or Ingress.",
        ChecklistItem.NetworkPolicies,
        "KS service-type, KL exposed-services, TV KSV-0108");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var service in context.OfKind("Service"))
        {
            if (service.Spec?["type"] is YScalar { Value: "NodePort" or "LoadBalancer" } type)
            {
                findings.Report(service, type, $"type {type.Value} exposes the server outside the cluster");
            }

            if (service.Spec?.Seq("externalIPs") is { Items.Count: > 0 } ips)
            {
                findings.Report(service, ips, "externalIPs expose the server outside the cluster");
            }
        }
    }
}
