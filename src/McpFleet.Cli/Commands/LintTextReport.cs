using McpFleet.Diagnostics;
using McpFleet.Linting;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>The human format of <c>mcpfleet lint</c>: findings grouped by file, coloured only when the console supports it.</summary>
internal static class LintTextReport
{
    public static void Write(IAnsiConsole console, LintResult result)
    {
        var plain = console.Profile.Capabilities.ColorSystem == ColorSystem.NoColors || !console.Profile.Capabilities.Ansi;
        var writer = console.Profile.Out.Writer;
        foreach (var group in result.Findings.GroupBy(f => f.Location.File))
        {
            Line(console, writer, plain, group.Key, $"[bold underline]{Markup.Escape(group.Key)}[/]");
            foreach (var f in group)
            {
                var position = $"{f.Location.Line}:{f.Location.Column}";
                var severity = LintReportWriter.Name(f.Severity);
                var message = f.Resource is null ? f.Message : $"{f.Resource}: {f.Message}";
                var colour = f.Severity switch
                {
                    DiagnosticSeverity.Error => "red",
                    DiagnosticSeverity.Warning => "yellow",
                    _ => "blue",
                };
                Line(console, writer, plain,
                    $"  {position,-8} {severity,-7} {f.RuleId}  {message}",
                    $"  [dim]{position,-8}[/] [{colour}]{severity,-7}[/] [bold]{f.RuleId}[/]  {Markup.Escape(message)}");
            }

            Line(console, writer, plain, "", "");
        }

        var summary = $"{result.Count(DiagnosticSeverity.Error)} errors, {result.Count(DiagnosticSeverity.Warning)} warnings, "
            + $"{result.Count(DiagnosticSeverity.Info)} info in {result.ObjectCount} objects from {result.Files.Count} files";
        Line(console, writer, plain, summary, result.Findings.Count == 0 ? $"[green]{summary}[/]" : summary);
        writer.Flush();
    }

    // Plain text goes straight to the writer so CI logs are never re-wrapped at a guessed console width.
    private static void Line(IAnsiConsole console, TextWriter writer, bool plain, string text, string markup)
    {
        if (plain)
        {
            writer.WriteLine(text);
        }
        else
        {
            console.MarkupLine(markup);
        }
    }
}
