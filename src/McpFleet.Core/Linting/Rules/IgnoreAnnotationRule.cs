using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class IgnoreAnnotationRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        IgnoreAnnotationRuleId.Value, "ignore-annotation", DiagnosticSeverity.Error,
        "A `mcpfleet.io/ignore` annotation names known rules and comes with a `mcpfleet.io/ignore-reason`.",
        "A suppression without a reason is a finding nobody can review later; an unknown id suppresses nothing.",
        "Add `mcpfleet.io/ignore-reason: \"<why this object is an exception>\"` next to `mcpfleet.io/ignore`, and list only rule ids from this page.",
        null,
        "KL ignore-check annotation (reason required), CK skip annotation");

    public void Check(LintContext context, FindingCollector findings)
    {
        var known = Linter.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var obj in context.Objects)
        {
            if (!obj.Annotations.ContainsKey(Linter.IgnoreAnnotation))
            {
                continue;
            }

            var at = obj.Metadata?.Map("annotations")?.KeyNode(Linter.IgnoreAnnotation);
            if (!obj.Annotations.TryGetValue(Linter.IgnoreReasonAnnotation, out var reason) || string.IsNullOrWhiteSpace(reason))
            {
                findings.Report(obj, at, $"'{Linter.IgnoreAnnotation}' needs a '{Linter.IgnoreReasonAnnotation}' annotation that says why");
            }

            foreach (var id in Linter.IgnoredIds(obj).Where(id => !known.Contains(id)))
            {
                findings.Report(obj, at, $"'{Linter.IgnoreAnnotation}' names unknown rule '{id}'");
            }
        }
    }
}

/// <summary>The id of <see cref="IgnoreAnnotationRule"/>, which suppression itself never hides.</summary>
internal static class IgnoreAnnotationRuleId
{
    public const string Value = "MCP000";
}
