using McpFleet.Diagnostics;
using McpFleet.Linting;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>The human format of <c>mcpfleet lint</c>: findings grouped by file, coloured only when the console supports it.</summary>
internal static class LintTextReport
{
    /// <summary>Writes the findings and the summary line.</summary>
    /// <param name="console">Standard output.</param>
    /// <param name="result">The lint result.</param>
    public static void Write(IAnsiConsole console, LintResult result)
    {
        // Spectre decides whether colour is emitted (a TTY, NO_COLOR); a wide profile keeps each finding on one line
        // so CI logs and copy-paste are never re-wrapped at a guessed console width.
        var width = console.Profile.Width;
        console.Profile.Width = 4096;
        try
        {
            WriteFindings(console, result);
        }
        finally
        {
            console.Profile.Width = width;
        }
    }

    private static void WriteFindings(IAnsiConsole console, LintResult result)
    {
        foreach (var group in result.Findings.GroupBy(f => f.Location.File))
        {
            // File names and messages quote the input: control characters are escaped before Spectre sees them.
            console.MarkupLine($"[bold underline]{Markup.Escape(TerminalText.Escape(group.Key))}[/]");
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
                console.MarkupLine(
                    $"  [dim]{position,-8}[/] [{colour}]{severity,-7}[/] [bold]{f.RuleId}[/]  {Markup.Escape(TerminalText.Escape(message))}");
            }

            console.WriteLine();
        }

        var summary = $"{result.Count(DiagnosticSeverity.Error)} errors, {result.Count(DiagnosticSeverity.Warning)} warnings, "
            + $"{result.Count(DiagnosticSeverity.Info)} info in {result.ObjectCount} objects from {result.Files.Count} files";
        console.MarkupLine(result.Findings.Count == 0 ? $"[green]{summary}[/]" : summary);
    }
}
