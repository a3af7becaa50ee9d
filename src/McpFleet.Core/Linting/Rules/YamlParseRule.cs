using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class YamlParseRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP001", "yaml-parse", DiagnosticSeverity.Error,
        $"The YAML parses (at most {YamlReader.MaxDepth} levels deep), has no duplicate keys, and every object has apiVersion, kind and metadata.name.",
        $"kubectl keeps only one of two duplicate keys (which one depends on the client), so a duplicate silently drops half the intent; an object without kind or name cannot be applied. No Kubernetes object nests {YamlReader.MaxDepth} levels deep: deeper input is refused where it goes too deep, so a hostile file cannot exhaust the linter's stack.",
        "Fix the syntax at the reported line, remove the duplicate key, or add the missing field.",
        null,
        "KC -strict, HL");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var (location, message) in context.LoadProblems)
        {
            findings.ReportFile(location, message);
        }

        foreach (var obj in context.Objects)
        {
            if (obj.ApiVersion.Length == 0)
            {
                findings.Report(obj, null, "object has no apiVersion");
            }

            if (obj.Kind.Length == 0)
            {
                findings.Report(obj, null, "object has no kind");
            }

            if (obj.Name.Length == 0)
            {
                findings.Report(obj, (YNode?)obj.Metadata ?? null, "object has no metadata.name");
            }
        }
    }
}
