using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Linting.Rules;

internal sealed class StdioOneProxyRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP044", "stdio-one-proxy", DiagnosticSeverity.Error,
        "A stdio MCP server's pod runs exactly one `mcpfleet-proxy` (`stdio` or `http`). A stdio server is one whose spec says `transport: stdio` (with `--fleet`), one run by `mcpfleet-proxy stdio`, or one whose command starts a stdio server (`@modelcontextprotocol/server-*`, `mcp-server-*`, `python -m mcp_server_*`).",
        "A stdio server listens on no port: without the proxy nothing serves the Service, the probes or the metrics, and the pod never becomes Ready. Two proxies start the server twice or serve the pod's ports twice, and clients see two servers' state.",
        "Say `transport: stdio` and the command in the server's values file: `mcpfleet render` and the chart run it under one proxy. By hand: run the server as `mcpfleet-proxy stdio -- <command>` in one container.",
        ChecklistItem.HealthEndpoints,
        "new (issue #14; docs/proxy.md)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(RuleHelpers.IsLongRunning))
        {
            var proxies = w.AllContainers.Where(c => c.ProxyMode is "stdio" or "http").ToList();
            var stdio = context.Options.StdioServers.Contains(w.Object.Name)
                || proxies.Any(c => c.ProxyMode == "stdio")
                || w.Containers.Any(c => StdioCommands.LooksLikeStdioServer(c.CommandWords));
            if (!stdio || proxies.Count == 1)
            {
                continue;
            }

            if (proxies.Count == 0)
            {
                var server = w.Containers.FirstOrDefault(c => StdioCommands.LooksLikeStdioServer(c.CommandWords)) ?? w.McpContainer;
                findings.Report(w.Object, server?.Node["name"] ?? w.Object.Root.KeyNode("spec"),
                    $"stdio MCP server {server?.Describe ?? w.Object.Name} runs without mcpfleet-proxy: nothing serves its port, probes or metrics; say `transport: stdio` in its values file, or run it as `mcpfleet-proxy stdio -- <command>`");
                continue;
            }

            findings.Report(w.Object, proxies[1].Node["name"],
                $"the pod runs {proxies.Count} mcpfleet-proxy containers ({string.Join(", ", proxies.Select(p => p.Describe))}); a stdio server has exactly one");
        }
    }
}
