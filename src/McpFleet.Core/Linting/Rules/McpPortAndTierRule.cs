using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class McpPortAndTierRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP007", "mcp-port-and-tier", DiagnosticSeverity.Error,
        "An MCP pod carries `tier: mcp`, declares a container port named `mcp` inside the fleet's port range, and SERVER_PORT (when set) equals it.",
        $"The document's NetworkPolicy admits peers by `tier: mcp` and opens ports {FleetDefaults.Ports.Min}–{FleetDefaults.Ports.Max} only; `kubectl get pods -l tier=mcp` is how operators find the fleet. A server on another port, or without the label, is silently unreachable.",
        "Add `tier: mcp` to the pod template labels, name the MCP container port `mcp`, and pick a port inside the range (see `.mcpfleet-lint.yaml` mcpPorts).",
        ChecklistItem.InterMcpCommunication,
        "new (the document's labels and port range)");

    public void Check(LintContext context, FindingCollector findings)
    {
        var (min, max) = (context.Options.McpPortMin, context.Options.McpPortMax);
        foreach (var w in context.McpWorkloads)
        {
            if (!w.TemplateLabels.TryGetValue(RuntimeContract.Labels.Tier, out var tier) || tier != RuntimeContract.Labels.TierMcp)
            {
                findings.Report(w.Object, (YNode?)w.TemplateMetadata?.KeyNode("labels") ?? w.Object.Spec?.KeyNode("template"),
                    $"the pod template has no '{RuntimeContract.Labels.Tier}: {RuntimeContract.Labels.TierMcp}' label");
            }

            var container = w.McpContainer;
            if (container is null)
            {
                continue;
            }

            var port = container.FindPort(RuntimeContract.McpPortName, null);
            if (port is null)
            {
                findings.Report(w.Object, (YNode?)container.Node.KeyNode("ports") ?? container.Node["name"],
                    $"{container.Describe} has no port named '{RuntimeContract.McpPortName}'");
                continue;
            }

            var number = port.Number("containerPort");
            if (number is { } n && (n < min || n > max))
            {
                findings.Report(w.Object, port["containerPort"], $"MCP port {n} is outside the fleet range {min}-{max}");
            }

            var serverPort = container.Env.FirstOrDefault(e => e.Str("name") == RuntimeContract.EnvironmentVariables.ServerPort);
            if (serverPort?["value"] is YScalar v && number is { } p && v.AsInt() != p)
            {
                findings.Report(w.Object, v, $"{RuntimeContract.EnvironmentVariables.ServerPort} is '{v.Value}' but the '{RuntimeContract.McpPortName}' port is {p}");
            }
        }
    }
}
