using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class McpProbePathsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP028", "mcp-probe-paths", DiagnosticSeverity.Error,
        $"An MCP container's liveness and startup probes GET {RuntimeContract.HealthPath} and its readiness probe GETs {RuntimeContract.ReadyPath}, on the `mcp` port; with `--fleet`, a server's own `probes.healthPath` and `probes.readyPath` instead.",
        $"The runtime contract: {RuntimeContract.HealthPath} never checks dependencies (so a broken dependency does not restart every pod), {RuntimeContract.ReadyPath} does and turns 503 while draining. Swapping them restarts healthy pods or routes to draining ones. A server not built on McpFleet.Hosting may serve other paths (e.g. /healthz); its fleet spec says which.",
        $"Use `httpGet: {{path: {RuntimeContract.HealthPath}, port: {RuntimeContract.McpPortName}}}` for liveness/startup and `{{path: {RuntimeContract.ReadyPath}, port: {RuntimeContract.McpPortName}}}` for readiness; for a server that serves other paths, set `probes.healthPath`/`probes.readyPath` in its values file and lint with `--fleet`.",
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
            var (health, ready) = context.Options.ProbePaths.TryGetValue(w.Object.Name, out var own) && (w.Object.Namespace.Length == 0 || w.Object.Namespace == own.Namespace)
                ? (own.Health, own.Ready)
                : (RuntimeContract.HealthPath, RuntimeContract.ReadyPath);
            foreach (var (key, path) in (ReadOnlySpan<(string, string)>)[("livenessProbe", health), ("startupProbe", health), ("readinessProbe", ready)])
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
