using System.Text;
using System.Text.RegularExpressions;

namespace McpFleet.Spec.Validation;

/// <summary>Syntax checks and fix suggestions for names, env vars, labels and versions.</summary>
internal static partial class SpecText
{
    /// <summary>The longest server name: <c>mcp-{name}</c> is also the Helm release name, which Helm caps at 53 characters.</summary>
    public const int MaxServerNameLength = 53 - 4;

    /// <summary>Tells whether <paramref name="value"/> is a DNS-1123 label (lower-case alphanumerics and '-', ≤ 63).</summary>
    public static bool IsDnsLabel(string value) => value.Length is > 0 and <= 63 && DnsLabel().IsMatch(value);

    /// <summary>Tells whether <paramref name="value"/> is a DNS-1123 subdomain (labels joined by '.', ≤ 253).</summary>
    public static bool IsDnsSubdomain(string value) =>
        value.Length is > 0 and <= 253 && value.Split('.').All(l => l.Length is > 0 and <= 63 && DnsLabel().IsMatch(l));

    /// <summary>Turns <paramref name="value"/> into the nearest DNS-1123 label: <c>ai_memory</c> → <c>ai-memory</c>.</summary>
    public static string SuggestDnsLabel(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var collapsed = MultiDash().Replace(builder.ToString(), "-").Trim('-');
        return collapsed.Length > 63 ? collapsed[..63].TrimEnd('-') : collapsed;
    }

    /// <summary>Tells whether <paramref name="value"/> is a valid env var name (<c>^[A-Za-z_][A-Za-z0-9_]*$</c>).</summary>
    public static bool IsEnvName(string value) => EnvName().IsMatch(value);

    /// <summary>Turns <paramref name="value"/> into the nearest env var name: <c>gong-api-key</c> → <c>GONG_API_KEY</c>.</summary>
    public static string SuggestEnvName(string value)
    {
        var builder = new StringBuilder(value.Length + 1);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToUpperInvariant(c) : '_');
        }

        var s = builder.ToString();
        return s.Length == 0 || char.IsAsciiDigit(s[0]) ? "_" + s : s;
    }

    /// <summary>Tells whether <paramref name="key"/> is a Kubernetes label key (optional DNS prefix, '/', a name ≤ 63).</summary>
    public static bool IsLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsDnsSubdomain(key[..slash])) && name.Length is > 0 and <= 63 && LabelName().IsMatch(name);
    }

    /// <summary>Tells whether <paramref name="value"/> is a Kubernetes label value (empty, or a name ≤ 63).</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && LabelName().IsMatch(value));

    /// <summary>
    /// Checks a semantic version <c>MAJOR.MINOR.PATCH[-pre][+build]</c> with no leading zeros; returns why it is not one.
    /// </summary>
    public static string? CheckVersion(string version)
    {
        if (version.StartsWith('v') || version.StartsWith('V'))
        {
            var rest = version[1..];
            return CheckVersion(rest) is null
                ? $"drop the leading 'v' and write \"{rest}\" (the image tag and the version label add it)"
                : "expected MAJOR.MINOR.PATCH, e.g. \"2.0.0\"";
        }

        var match = SemVer().Match(version);
        if (!match.Success)
        {
            var parts = version.Split('.');
            return parts.Length is 1 or 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
                ? $"expected MAJOR.MINOR.PATCH; write \"{string.Join('.', parts.Concat(Enumerable.Repeat("0", 3 - parts.Length)))}\""
                : "expected MAJOR.MINOR.PATCH[-prerelease], e.g. \"2.0.0\" or \"2.1.0-rc.1\"";
        }

        if (match.Groups["build"].Success)
        {
            // '+' is valid semver but not valid in an image tag or a label value, where the version also goes.
            return $"build metadata '+{match.Groups["build"].Value}' cannot go in the image tag or the version label; drop it";
        }

        return version.Length + 1 > 63 ? "too long: v{version} must fit in a 63-character label value" : null;
    }

    /// <summary>
    /// The probe path syntax (also in <c>deploy/helm/mcp-servers/values.schema.json</c>, and RE2-compatible for Helm):
    /// <c>/</c>, then segments of RFC 3986 path characters or <c>%XX</c> escapes, none empty, <c>.</c> or <c>..</c>,
    /// with an optional trailing <c>/</c>; no query, fragment, space or other character a URL would need escaped.
    /// </summary>
    public const string ProbePathPattern =
        @"^/(?:(?:\.*(?:[A-Za-z0-9_~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_~!$&'()*+,;=:@.-]|%[0-9A-Fa-f]{2})*|\.{3,})(?:/(?:\.*(?:[A-Za-z0-9_~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_~!$&'()*+,;=:@.-]|%[0-9A-Fa-f]{2})*|\.{3,}))*/?)?$";

    /// <summary>Checks a probe path (<c>probes.healthPath</c>, <c>probes.readyPath</c>); returns why it is not one and how to fix it.</summary>
    public static string? CheckProbePath(string path)
    {
        if (path.Length == 0)
        {
            return "write a path such as /healthz";
        }

        if (!path.StartsWith('/'))
        {
            return path.Contains("://", StringComparison.Ordinal)
                ? "write only the path (e.g. /healthz): the kubelet probes the pod's own 'mcp' port"
                : $"a probe path starts with '/': write '/{path}'";
        }

        if (path.IndexOfAny(['?', '#']) is var cut and >= 0)
        {
            return $"a probe is a plain path: drop the {(path[cut] == '?' ? "query" : "fragment")} '{path[cut..]}'";
        }

        if (path.Any(char.IsWhiteSpace))
        {
            return "a URL path has no spaces; percent-encode them as %20";
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "'//' makes an empty segment (and at the start, a URL parser reads a host name after it); write one '/'";
        }

        if (path.Split('/').Any(segment => segment is "." or ".."))
        {
            return "'.' and '..' segments are resolved away by HTTP clients; write the path they resolve to";
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && !(i + 2 < path.Length && char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2])))
            {
                return "'%' starts an escape of two hex digits, e.g. %20";
            }

            if (!char.IsAsciiLetterOrDigit(c) && !"/-._~!$&'()*+,;=:@%".Contains(c, StringComparison.Ordinal))
            {
                if (!Rune.TryGetRuneAt(path, i, out var rune))
                {
                    return $"U+{(int)c:X4} is half of a character; write the path as UTF-8 text";
                }

                Span<byte> utf8 = stackalloc byte[4];
                var escaped = string.Concat(utf8[..rune.EncodeToUtf8(utf8)].ToArray().Select(b => $"%{b:X2}"));
                return $"'{rune}' cannot appear in a URL path as it is; percent-encode it as {escaped}";
            }
        }

        // The checks above give the reason; the pattern, which the chart's schema shares, has the last word.
        return ProbePath().IsMatch(path) ? null : "write an absolute URL path such as /healthz";
    }

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Finds the candidate closest to <paramref name="value"/>, if any is close enough to be a likely typo.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        var normalized = Normalize(value);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // Case and separators first: depends_on, DependsOn and depends-on all mean dependsOn.
            if (Normalize(candidate) == normalized)
            {
                return candidate;
            }

            var distance = EditDistance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        if (best is not null && bestDistance <= Math.Max(2, best.Length / 3))
        {
            return best;
        }

        // An abbreviation: mem → memory, desc → description.
        return value.Length >= 3
            ? candidates.FirstOrDefault(c => c.StartsWith(value, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    private static string Normalize(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(ProbePathPattern)]
    private static partial Regex ProbePath();

    [GeneratedRegex("-{2,}")]
    private static partial Regex MultiDash();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(?<pre>(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(\+(?<build>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$")]
    private static partial Regex SemVer();
}
