using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class McpProbePathsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP028", "mcp-probe-paths", DiagnosticSeverity.Error,
        $"An MCP container's liveness and startup probes GET {RuntimeContract.HealthPath} and its readiness probe GETs {RuntimeContract.ReadyPath}, on the `mcp` port.",
        $"The runtime contract: {RuntimeContract.HealthPath} never checks dependencies (so a broken dependency does not restart every pod), {RuntimeContract.ReadyPath} does and turns 503 while draining. Swapping them restarts healthy pods or routes to draining ones.",
        $"Use `httpGet: {{path: {RuntimeContract.HealthPath}, port: {RuntimeContract.McpPortName}}}` for liveness/startup and `{{path: {RuntimeContract.ReadyPath}, port: {RuntimeContract.McpPortName}}}` for readiness.",
        ChecklistItem.HealthEndpoints,
        "new (the document's Important Notes 1)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.McpWorkloads)
        {
            if (w.McpContainer is not { } c)
            {
                continue;
            }

            var mcpPort = c.FindPort(RuntimeContract.McpPortName, null)?.Number("containerPort");
            foreach (var (key, path) in (ReadOnlySpan<(string, string)>)[("livenessProbe", RuntimeContract.HealthPath), ("startupProbe", RuntimeContract.HealthPath), ("readinessProbe", RuntimeContract.ReadyPath)])
            {
                if (c.Node.Map(key) is not { } probe)
                {
                    continue;
                }

                if (probe.Map("httpGet") is not { } get)
                {
                    findings.Report(w.Object, probe, $"{c.Describe} {key} is not an httpGet of {path}");
                    continue;
                }

                if (get["path"] is not YScalar p || p.Value != path)
                {
                    findings.Report(w.Object, (YNode?)get["path"] ?? get, $"{c.Describe} {key} checks '{get.Str("path") ?? "/"}', not {path}");
                }

                if (get["port"] is YScalar port && port.Value != RuntimeContract.McpPortName && (mcpPort is null || port.AsInt() != mcpPort))
                {
                    findings.Report(w.Object, port, $"{c.Describe} {key} probes port '{port.Value}', not the '{RuntimeContract.McpPortName}' port");
                }
            }
        }
    }
}
