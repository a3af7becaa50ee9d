using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class NetworkPolicyAllowsServicePortRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP093", "netpol-allows-service-port", DiagnosticSeverity.Warning,
        "When NetworkPolicies isolate a Service's pods for ingress, some ingress rule admits each port the Service targets.",
        "Otherwise the Service exists, DNS resolves, and every connection times out: the hardest failure to diagnose from an MCP client.",
        "Add the container port (number or name) to an ingress rule of the pods' NetworkPolicy.",
        ChecklistItem.InterMcpCommunication,
        "new");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var service in context.OfKind("Service"))
        {
            foreach (var w in context.SelectedByService(service))
            {
                var policies = context.PoliciesOf(w).Where(NetworkPolicyView.RestrictsIngress).ToList();
                if (policies.Count == 0)
                {
                    continue;
                }

                var rules = policies.SelectMany(p => p.Spec?.Maps("ingress") ?? []).ToList();
                foreach (var port in service.Spec?.Maps("ports") ?? [])
                {
                    var target = port["targetPort"] as YScalar ?? port["port"] as YScalar;
                    if (target is null)
                    {
                        continue;
                    }

                    var number = target.AsInt();
                    var name = number is null ? target.Value : null;
                    var declared = w.Containers.Select(c => c.FindPort(name, number)).FirstOrDefault(p => p is not null);
                    number ??= declared?.Number("containerPort");
                    name ??= declared?.Str("name");
                    var protocol = port.Str("protocol") ?? "TCP";
                    if (!rules.Any(r => NetworkPolicyView.AdmitsPort(r, protocol, number, name)))
                    {
                        findings.Report(service, target,
                            $"port {target.Value} of {w.Object.DisplayName} is admitted by no ingress rule of {string.Join(", ", policies.Select(p => "NetworkPolicy/" + p.Name))}");
                    }
                }
            }
        }
    }
}
