using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>
/// Reads <c>.mcpfleet-lint.yaml</c>:
/// <code>
/// rules:
///   MCP012: off          # off | info | warning | error
///   MCP022: error
/// mcpPorts: { min: 9000, max: 9020 }
/// </code>
/// </summary>
public static class LintConfig
{
    /// <summary>The file name looked up in the working directory.</summary>
    public const string FileName = ".mcpfleet-lint.yaml";

    /// <summary>Parses a config file into options.</summary>
    /// <param name="path">The file path (used in diagnostics).</param>
    /// <param name="text">The file's text.</param>
    /// <param name="diagnostics">Receives problems with file:line:col; the options are unusable when it has errors.</param>
    /// <returns>The options.</returns>
    public static LintOptions Parse(string path, string text, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var problems = new List<(SourceLocation Location, string Message)>();
        var documents = YamlDocumentReader.Read(path, text, problems);
        foreach (var (location, message) in problems)
        {
            diagnostics.Error("MCP001", location, message);
        }

        var options = new LintOptions();
        if (documents.Count == 0)
        {
            return options;
        }

        if (documents[0].Root is not YMap root)
        {
            diagnostics.Error("MCPLINT", Locate(path, documents[0].Root), "the lint config must be a mapping");
            return options;
        }

        var known = Linter.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var severities = new Dictionary<string, DiagnosticSeverity?>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Entries)
        {
            switch (key.Value)
            {
                case "rules":
                    foreach (var (id, level) in (value as YMap)?.Entries ?? [])
                    {
                        if (!known.Contains(id.Value))
                        {
                            diagnostics.Error("MCPLINT", Locate(path, id), $"unknown rule '{id.Value}'");
                        }
                        else if (ParseLevel((level as YScalar)?.Value) is { } parsed)
                        {
                            severities[id.Value] = parsed.Severity;
                        }
                        else
                        {
                            diagnostics.Error("MCPLINT", Locate(path, level), $"'{(level as YScalar)?.Value}' is not off, info, warning or error");
                        }
                    }

                    break;
                case "mcpPorts" when value is YMap ports:
                    options = options with
                    {
                        McpPortMin = (int)(ports.Number("min") ?? options.McpPortMin),
                        McpPortMax = (int)(ports.Number("max") ?? options.McpPortMax),
                    };
                    break;
                default:
                    diagnostics.Error("MCPLINT", Locate(path, key), $"unknown setting '{key.Value}' (expected rules or mcpPorts)");
                    break;
            }
        }

        return options with { Severities = severities };
    }

    /// <summary>Parses a severity name.</summary>
    /// <param name="level">off, info, warning or error (any case).</param>
    /// <returns>The severity (null for off), or <see langword="null"/> when the name is unknown.</returns>
    public static (DiagnosticSeverity? Severity, bool Ok)? ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "off" or "none" or "false" => (null, true),
        "info" or "note" => (DiagnosticSeverity.Info, true),
        "warning" or "warn" => (DiagnosticSeverity.Warning, true),
        "error" => (DiagnosticSeverity.Error, true),
        _ => null,
    };

    private static SourceLocation Locate(string path, YNode node) => new(path, node.Line, node.Column);
}
