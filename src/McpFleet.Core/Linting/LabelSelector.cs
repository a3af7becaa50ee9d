using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>Label selector matching as Kubernetes does it.</summary>
internal static class LabelSelector
{
    /// <summary>Matches a <c>LabelSelector</c> (<c>matchLabels</c> + <c>matchExpressions</c>). An empty selector matches everything; <see langword="null"/> matches nothing.</summary>
    public static bool Matches(YMap? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        if (!MatchesLabels(selector.StringMap("matchLabels"), labels))
        {
            return false;
        }

        return MatchesExpressions(selector.Maps("matchExpressions"), labels);
    }

    /// <summary>Matches <c>matchExpressions</c>.</summary>
    public static bool MatchesExpressions(IEnumerable<YMap> expressions, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var e in expressions)
        {
            var key = e.Str("key") ?? "";
            var values = e.Seq("values")?.Strings.ToHashSet(StringComparer.Ordinal) ?? [];
            var has = labels.TryGetValue(key, out var value);
            var ok = e.Str("operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches an equality-only selector (Service, ReplicationController).</summary>
    public static bool MatchesLabels(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (k, v) in selector)
        {
            if (!labels.TryGetValue(k, out var actual) || actual != v)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a LabelSelector is empty (selects every pod).</summary>
    public static bool IsEmpty(YMap? selector) =>
        selector is not null && selector.Map("matchLabels") is not { Entries.Count: > 0 } && selector.Seq("matchExpressions") is not { Items.Count: > 0 };
}
