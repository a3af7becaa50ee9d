using System.Text.Encodings.Web;
using System.Text.Json;
using McpFleet.Diagnostics;

namespace McpFleet.Linting;

/// <summary>Writes a <see cref="LintResult"/> as JSON or as SARIF 2.1.0 (for GitHub code scanning).</summary>
public static class LintReportWriter
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the findings as a JSON document: <c>{findings: [...], summary: {...}}</c>.</summary>
    /// <param name="result">The result.</param>
    /// <param name="output">The stream.</param>
    public static void WriteJson(LintResult result, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(output, s_options);
        json.WriteStartObject();
        json.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.RuleId);
            json.WriteString("rule", Linter.Rules.FirstOrDefault(r => r.Id == f.RuleId)?.Name);
            json.WriteString("severity", Name(f.Severity));
            json.WriteString("message", f.Message);
            json.WriteString("file", f.Location.File);
            json.WriteNumber("line", f.Location.Line);
            json.WriteNumber("column", f.Location.Column);
            if (f.Resource is not null)
            {
                json.WriteString("object", f.Resource);
            }

            if (f.Namespace is not null)
            {
                json.WriteString("namespace", f.Namespace);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("summary");
        json.WriteNumber("files", result.Files.Count);
        json.WriteNumber("objects", result.ObjectCount);
        json.WriteNumber("errors", result.Count(DiagnosticSeverity.Error));
        json.WriteNumber("warnings", result.Count(DiagnosticSeverity.Warning));
        json.WriteNumber("info", result.Count(DiagnosticSeverity.Info));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes a SARIF 2.1.0 log with every rule in <c>tool.driver.rules</c> and one result per finding.</summary>
    /// <param name="result">The result.</param>
    /// <param name="output">The stream.</param>
    /// <param name="toolVersion">The tool's version, e.g. <c>0.1.0</c>.</param>
    public static void WriteSarif(LintResult result, Stream output, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rules = Linter.Rules;
        using var json = new Utf8JsonWriter(output, s_options);
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "mcpfleet-lint");
        json.WriteString("semanticVersion", toolVersion);
        json.WriteString("informationUri", "https://github.com/mcpfleet/mcpfleet/blob/main/docs/lint-rules.md");
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", rule.Name);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Summary);
            json.WriteEndObject();
            json.WriteStartObject("fullDescription");
            json.WriteString("text", rule.Rationale);
            json.WriteEndObject();
            json.WriteStartObject("help");
            json.WriteString("text", $"{rule.Rationale} Fix: {rule.Fix}");
            json.WriteString("markdown", $"{rule.Rationale}\n\n**Fix:** {rule.Fix}");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", SarifLevel(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteStartArray("tags");
            json.WriteStringValue("kubernetes");
            if (rule.Checklist is not null)
            {
                json.WriteStringValue("checklist");
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.RuleId);
            var index = IndexOf(rules, f.RuleId);
            if (index >= 0)
            {
                json.WriteNumber("ruleIndex", index);
            }

            json.WriteString("level", SarifLevel(f.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", f.Resource is null ? f.Message : $"{f.Resource}: {f.Message}");
            json.WriteEndObject();
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", ToUri(f.Location.File));
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", Math.Max(1, f.Location.Line));
            json.WriteNumber("startColumn", Math.Max(1, f.Location.Column));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The lower-case name of a severity: error, warning, info.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The name.</returns>
    public static string Name(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    private static string SarifLevel(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    private static int IndexOf(IReadOnlyList<LintRuleInfo> rules, string id)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    // SARIF wants a URI reference: forward slashes, relative paths stay relative, spaces and the like escaped.
    private static string ToUri(string path) =>
        Uri.EscapeDataString(path.Replace('\\', '/')).Replace("%2F", "/", StringComparison.Ordinal);
}
