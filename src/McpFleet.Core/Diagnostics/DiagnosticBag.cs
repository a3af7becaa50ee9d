namespace McpFleet.Diagnostics;

/// <summary>Collects diagnostics. Validators and lint rules add to a bag and never throw for bad input.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    /// <summary>Gets the diagnostics in the order they were added.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>Gets a value indicating whether any diagnostic is an error.</summary>
    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Adds a diagnostic.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    public void Add(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        _items.Add(diagnostic);
    }

    /// <summary>Adds an error.</summary>
    /// <param name="code">The stable id.</param>
    /// <param name="location">Where it is.</param>
    /// <param name="message">What is wrong.</param>
    public void Error(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, location));

    /// <summary>Adds a warning.</summary>
    /// <param name="code">The stable id.</param>
    /// <param name="location">Where it is.</param>
    /// <param name="message">What is wrong.</param>
    public void Warning(string code, SourceLocation location, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, location));

    /// <summary>Returns the diagnostics sorted by file, line and column, so output is stable.</summary>
    /// <returns>The sorted diagnostics.</returns>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Location.File, StringComparer.Ordinal)
            .ThenBy(x => x.d.Location.Line)
            .ThenBy(x => x.d.Location.Column)
            .ThenBy(x => x.i)
            .Select(x => x.d)];
}
