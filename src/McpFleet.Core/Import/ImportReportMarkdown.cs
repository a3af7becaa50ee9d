using System.Globalization;
using System.Text;
using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>Formats an <see cref="ImportReport"/> as Markdown: printed by the CLI and written by <c>--report</c>.</summary>
public static class ImportReportMarkdown
{
    /// <summary>Formats the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">The fleet directory as the user named it, or <see langword="null"/>.</param>
    /// <returns>Markdown, <c>\n</c> line endings, ending with a newline.</returns>
    public static string Format(ImportReport report, string? output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var attention = report.Attention.Count();
        var imported = report.Services.Count(s => s.Server is not null);
        Line(md, "# Compose import report");
        Line(md);
        Line(md, $"- Inputs: {string.Join(", ", report.Inputs.Select(Code))}");
        Line(md, $"- Env file: {(report.EnvFile is null ? "none" : Code(report.EnvFile))}");
        if (output is not null)
        {
            Line(md, $"- Output: {Code(output)}");
        }

        Line(md, $"- Servers: {imported} in {report.Phases.Count} phase{Plural(report.Phases.Count)}; services not imported: {report.Services.Count - imported}");
        Line(md, $"- Secrets moved to the secret store: {report.Secrets.Count}");
        Line(md, attention == 0
            ? "- Result: clean (exit code 0)"
            : $"- Result: {attention} item{Plural(attention)} need{(attention == 1 ? "s" : "")} a person (exit code 1)");
        Line(md);
        Line(md, "## Phases");
        Line(md);
        var n = 1;
        foreach (var (phase, servers) in report.Phases)
        {
            Line(md, $"{n++}. {Code(phase)}: {string.Join(", ", servers)}");
        }

        Line(md);
        if (report.Secrets.Count > 0)
        {
            Line(md, "## Secrets");
            Line(md);
            Line(md, "No value is written anywhere: put each one in the secret store under its remoteRef key.");
            Line(md);
            Line(md, "| Server | Env var | remoteRef | Why | Where |");
            Line(md, "|---|---|---|---|---|");
            foreach (var s in report.Secrets)
            {
                Line(md, $"| {s.Server} | {Code(s.Variable)} | {Code(s.RemoteRef)} | {Cell(s.Reason)} | {Where(s.Location)} |");
            }

            Line(md);
        }

        if (attention > 0)
        {
            Line(md, "## Needs a person");
            Line(md);
            foreach (var (service, entry) in report.Services.SelectMany(s => s.Entries.Select(e => (s.Service, e))).Where(x => x.e.NeedsAttention)
                .Concat(report.TopLevel.Where(e => e.NeedsAttention).Select(e => ("(top level)", e)))
                .OrderBy(x => x.e.Location.File, StringComparer.Ordinal).ThenBy(x => x.e.Location.Line))
            {
                Line(md, $"- {Where(entry.Location)} {service} {Code(entry.Field)}: {entry.Detail}");
            }

            Line(md);
        }

        if (report.TopLevel.Count > 0)
        {
            Line(md, "## Top level");
            Line(md);
            Table(md, report.TopLevel);
        }

        foreach (var service in report.Services)
        {
            Line(md, service.Server is null ? $"## Service {Code(service.Service)}: not imported" : $"## Service {Code(service.Service)} → server {Code(service.Server)}");
            Line(md);
            Line(md, $"{service.Summary} ({Where(service.Location)}).");
            Line(md);
            Table(md, service.Entries);
        }

        return md.ToString();
    }

    private static void Table(StringBuilder md, IReadOnlyList<ReportEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        Line(md, "| Field | Outcome | Detail | Where |");
        Line(md, "|---|---|---|---|");
        foreach (var e in entries)
        {
            var outcome = e.Outcome.ToString().ToLowerInvariant() + (e.NeedsAttention ? " ⚠" : "");
            Line(md, $"| {Code(e.Field)} | {outcome} | {Cell(e.Detail)} | {Where(e.Location)} |");
        }

        Line(md);
    }

    private static string Where(SourceLocation location) =>
        location.Line == 0 ? location.File : $"{location.File}:{location.Line.ToString(CultureInfo.InvariantCulture)}";

    private static string Code(string text) => "`" + text.Replace("`", "'", StringComparison.Ordinal) + "`";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Plural(int n) => n == 1 ? "" : "s";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
