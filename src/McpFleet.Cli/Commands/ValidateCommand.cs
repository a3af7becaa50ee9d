using System.CommandLine;
using System.Text.Json;
using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary><c>mcpfleet validate &lt;fleet-dir&gt;</c>: loads the fleet spec and reports every problem in one run.</summary>
internal sealed class ValidateCommand : Command
{
    private readonly CliContext _context;

    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();

    private readonly Option<string> _format =
        FormatOption.Create("Output format: text (diagnostics on stderr) or json (a report on stdout).", "text", "json");

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles and working directory.</param>
    public ValidateCommand(CliContext context)
        : base("validate", "Check a fleet spec and report every problem as file:line:col. Exits 2 when any error is found.")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_format);
        SetAction(Execute);
    }

    private int Execute(ParseResult parseResult)
    {
        var directory = parseResult.GetValue(_fleet)!;
        var json = parseResult.GetValue(_format) == "json";
        var result = FleetLoader.Load(_context.Resolve(directory));
        var diagnostics = result.Diagnostics.Select(d => _context.Shown(d, directory)).ToList();
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);

        if (json)
        {
            _context.Out.Profile.Out.Writer.WriteLine(ToJson(directory, result, diagnostics));
        }
        else
        {
            foreach (var diagnostic in diagnostics)
            {
                _context.Say(diagnostic.ToString());
            }
        }

        var summary = result.Spec is { } spec
            ? $"{directory}: valid, {spec.Servers.Count} servers in {spec.Phases.Count} phases{(spec.Gateway is { Enabled: true } ? " behind a gateway" : "")}{(warnings > 0 ? $", {Count(warnings, "warning")}" : "")}"
            : $"{directory}: invalid, {Count(errors, "error")}{(warnings > 0 ? $", {Count(warnings, "warning")}" : "")}";
        _context.Say(summary);
        return errors > 0 ? ExitCodes.InvalidInput : ExitCodes.Success;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string ToJson(string directory, FleetLoadResult result, IReadOnlyList<Diagnostic> diagnostics)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Not embedded in HTML, so keep quotes and apostrophes readable instead of \u0027.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteString("fleet", directory);
            writer.WriteBoolean("valid", result.Success);
            writer.WriteNumber("errors", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
            writer.WriteNumber("warnings", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
            writer.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("file", d.Location.File);
                writer.WriteNumber("line", d.Location.Line);
                writer.WriteNumber("column", d.Location.Column);
                writer.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
                writer.WriteString("code", d.Code);
                writer.WriteString("message", d.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
