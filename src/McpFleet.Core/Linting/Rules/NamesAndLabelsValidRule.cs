using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class NamesAndLabelsValidRule : ILintRule
{
    // Kinds whose names must be a DNS-1123 label (they become DNS names or label values).
    private static readonly HashSet<string> s_labelNamed = ["Service", "Namespace"];

    public LintRuleInfo Info { get; } = new(
        "MCP004", "names-and-labels-valid", DiagnosticSeverity.Error,
        "metadata.name is a DNS-1123 name (a label of ≤ 63 characters for Services and Namespaces); label keys and values are valid.",
        "The API server rejects invalid names and labels; placeholders such as `mcp-{server-name}` left in a manifest are caught here.",
        "Use lower-case letters, digits and '-' (and '.' in subdomain names); label values ≤ 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric.",
        null,
        "HL (DNS-1123 names), KS label-values");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            if (obj.Name.Length > 0 && obj.Metadata?["name"] is { } nameNode)
            {
                var asLabel = s_labelNamed.Contains(obj.Kind);
                if (asLabel ? !IsDnsLabel(obj.Name) : !IsDnsSubdomain(obj.Name))
                {
                    findings.Report(obj, nameNode, $"metadata.name '{obj.Name}' is not a valid DNS-1123 {(asLabel ? "label" : "subdomain")}");
                }
            }

            CheckLabels(obj, obj.Metadata?.Map("labels"), findings);
            if (context.WorkloadOf(obj) is { TemplateMetadata: { } template } w && !obj.Is("Pod"))
            {
                CheckLabels(w.Object, template.Map("labels"), findings);
            }
        }
    }

    private static void CheckLabels(LintObject obj, YMap? labels, FindingCollector findings)
    {
        foreach (var (key, value) in labels?.Entries ?? [])
        {
            if (!IsLabelKey(key.Value))
            {
                findings.Report(obj, key, $"label key '{key.Value}' is invalid");
            }

            if (value is YScalar s && !s.IsNull && !IsLabelValue(s.Value))
            {
                findings.Report(obj, value, $"label value '{s.Value}' of '{key.Value}' is invalid");
            }
            else if (value is not YScalar)
            {
                findings.Report(obj, value, $"label '{key.Value}' must be a string");
            }
        }
    }

    // Hand-written checks instead of regexes: this rule looks at every label of every object of the bundle.
    private static bool IsDnsLabel(string s) => s.Length is > 0 and <= 63 && IsSegment(s, allowUpperAndUnderscoreAndDot: false);

    private static bool IsDnsSubdomain(string s)
    {
        if (s.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var part in s.Split('.'))
        {
            if (part.Length == 0 || !IsSegment(part, allowUpperAndUnderscoreAndDot: false))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsDnsSubdomain(key[..slash])) && name.Length is > 0 and <= 63 && IsSegment(name, allowUpperAndUnderscoreAndDot: true);
    }

    private static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && IsSegment(value, allowUpperAndUnderscoreAndDot: true));

    // [a-z0-9]([-a-z0-9]*[a-z0-9])? for DNS names; [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? for label names and values.
    private static bool IsSegment(string s, bool allowUpperAndUnderscoreAndDot)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var alnum = char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || (allowUpperAndUnderscoreAndDot && char.IsAsciiLetterUpper(c));
            if (alnum)
            {
                continue;
            }

            var inner = c == '-' || (allowUpperAndUnderscoreAndDot && c is '_' or '.');
            if (!inner || i == 0 || i == s.Length - 1)
            {
                return false;
            }
        }

        return true;
    }
}
