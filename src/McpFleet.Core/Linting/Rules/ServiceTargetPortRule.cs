using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed partial class ServiceTargetPortRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP041", "service-targetport-valid", DiagnosticSeverity.Error,
        "A Service's targetPort resolves to a containerPort of the selected pods; named ports are IANA service names; every port is named when there are several.",
        "A targetPort that no container declares sends traffic nowhere; an invalid port name is rejected by the API server.",
        "Use `targetPort: mcp` and declare `{name: mcp, containerPort: <port>}` in the container.",
        ChecklistItem.InterMcpCommunication,
        "KL invalid-target-ports, KS service-targets-pod");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var service in context.OfKind("Service"))
        {
            var ports = service.Spec?.Maps("ports").ToList() ?? [];
            var pods = context.SelectedByService(service);
            foreach (var port in ports)
            {
                if (ports.Count > 1 && port["name"] is null)
                {
                    findings.Report(service, port, "a Service with several ports must name each of them");
                }

                var target = port["targetPort"] as YScalar ?? port["port"] as YScalar;
                if (target is null)
                {
                    continue;
                }

                var number = target.AsInt();
                if (number is null && !IsIanaName(target.Value))
                {
                    findings.Report(service, target, $"targetPort '{target.Value}' is not a valid port name (≤ 15 of a-z, 0-9, '-', with a letter)");
                    continue;
                }

                foreach (var w in pods.Where(w => !w.Containers.Any(c => c.FindPort(number is null ? target.Value : null, number) is not null)))
                {
                    findings.Report(service, target, $"targetPort '{target.Value}' is not a container port of {w.Object.DisplayName}");
                }
            }
        }
    }

    private static bool IsIanaName(string name) => name.Length <= 15 && IanaName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex IanaName();
}
