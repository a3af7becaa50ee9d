using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class DuplicateEnvRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP019", "duplicate-env", DiagnosticSeverity.Error,
        "A container does not set the same env name twice.",
        "The last one wins silently, and `kubectl apply` merges env lists by name, so the live object can differ from the file.",
        "Remove one of the two entries.",
        null,
        "KL duplicate-env-var, KS environment-variable-key-duplication");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var env in c.Env)
                {
                    if (env["name"] is YScalar name && !seen.Add(name.Value))
                    {
                        findings.Report(w.Object, name, $"{c.Describe} sets env '{name.Value}' more than once");
                    }
                }
            }
        }
    }
}
