namespace McpFleet.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Informational; never fails a run.</summary>
    Info,

    /// <summary>Worth a look; fails a run only when asked to.</summary>
    Warning,

    /// <summary>Invalid input; fails the run.</summary>
    Error,
}

/// <summary>A position in a source file. Lines and columns are 1-based; 0 means unknown.</summary>
/// <param name="File">The file path as the user gave it (relative paths stay relative).</param>
/// <param name="Line">The 1-based line, or 0.</param>
/// <param name="Column">The 1-based column, or 0.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location that names only a file.</summary>
    /// <param name="file">The file path.</param>
    /// <returns>The location.</returns>
    public static SourceLocation OfFile(string file) => new(file, 0, 0);

    /// <summary>Formats as <c>file:line:col</c>, dropping the parts that are unknown.</summary>
    /// <returns>The formatted location.</returns>
    public override string ToString() =>
        Line == 0 ? File : Column == 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}

/// <summary>One problem found in an input, with where it is.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">A stable id, e.g. <c>MCF012</c> for spec problems or <c>MCP072</c> for lint rules.</param>
/// <param name="Message">What is wrong and, where it helps, how to fix it.</param>
/// <param name="Location">Where it is.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string Message, SourceLocation Location)
{
    /// <summary>Formats as <c>file:line:col: severity CODE: message</c>, the shape compilers use and editors link.</summary>
    /// <returns>The formatted diagnostic.</returns>
    public override string ToString() =>
        $"{Location}: {Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
}
