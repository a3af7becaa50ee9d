using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ProbePortDeclaredRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP018", "probe-port-declared", DiagnosticSeverity.Error,
        "A probe's port (name or number) is declared in the container's ports.",
        "A named probe port that does not exist fails every probe (the pod never becomes ready, or restarts in a loop); a number that is not declared is usually a typo.",
        "Probe the declared `mcp` port by name.",
        ChecklistItem.HealthEndpoints,
        "KL liveness-port, readiness-port, startup-port");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                foreach (var (key, probe) in c.Node.Entries.Where(e => e.Key.Value.EndsWith("Probe", StringComparison.Ordinal)))
                {
                    if (probe is YMap map && RuleHelpers.ProbePort(map) is { } port)
                    {
                        var number = port.AsInt();
                        if (c.FindPort(number is null ? port.Value : null, number) is null)
                        {
                            findings.Report(w.Object, port, $"{c.Describe} {key.Value} uses port '{port.Value}', which the container does not declare");
                        }
                    }
                }
            }
        }
    }
}
