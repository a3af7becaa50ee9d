using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>One lint finding.</summary>
/// <param name="RuleId">The rule, e.g. <c>MCP072</c>.</param>
/// <param name="Severity">The effective severity (after configuration).</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Location">The file, line and column of the object or the offending field.</param>
/// <param name="Resource"><c>Kind/name</c> of the object, or <see langword="null"/> for file-level problems.</param>
/// <param name="Namespace">The object's namespace, or <see langword="null"/>.</param>
public sealed record LintFinding(
    string RuleId,
    DiagnosticSeverity Severity,
    string Message,
    SourceLocation Location,
    string? Resource,
    string? Namespace)
{
    /// <summary>The finding as a <see cref="Diagnostic"/>.</summary>
    /// <returns>The diagnostic.</returns>
    public Diagnostic ToDiagnostic() => new(Severity, RuleId, Resource is null ? Message : $"{Resource}: {Message}", Location);

    /// <inheritdoc/>
    public override string ToString() => ToDiagnostic().ToString();
}

/// <summary>Collects the findings of the rule that is running. The engine sets the rule; rules only report.</summary>
internal sealed class FindingCollector
{
    private readonly List<RawFinding> _items = [];

    public LintRuleInfo? Current { get; set; }

    public IReadOnlyList<RawFinding> Items => _items;

    /// <summary>Reports a finding on <paramref name="obj"/> at <paramref name="at"/> (the object when null).</summary>
    /// <param name="obj">The object.</param>
    /// <param name="at">The offending node.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="severity">A severity below the rule's for an advisory part of the rule; null = the rule's.</param>
    public void Report(LintObject obj, YNode? at, string message, DiagnosticSeverity? severity = null) =>
        _items.Add(new RawFinding(Current!, obj, obj.Locate(at), message, severity));

    /// <summary>Reports a problem that belongs to a file rather than an object (syntax errors).</summary>
    public void ReportFile(SourceLocation location, string message) =>
        _items.Add(new RawFinding(Current!, null, location, message, null));
}

/// <summary>A finding before suppression and severity configuration.</summary>
internal sealed record RawFinding(LintRuleInfo Rule, LintObject? Object, SourceLocation Location, string Message, DiagnosticSeverity? Severity);
