using System.Text.RegularExpressions;

namespace McpFleet.Import;

/// <summary>
/// Decides whether an env var holds a credential, by its name or by its value. False positives are cheap (a secret
/// entry a person can turn back into env); false negatives leak a credential into Git, so every test errs one way.
/// </summary>
internal static partial class SecretDetector
{
    private static readonly string[] s_nameWords = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PRIVATE", "CREDENTIAL"];

    private static readonly string[] s_valuePrefixes =
    [
        "sk-", "sk_live_", "sk_test_", "rk_live_", "pk_live_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_",
        "glpat-", "xox", "AKIA", "ASIA", "AIza", "ya29.", "hf_", "npm_", "shpat_", "SG.", "-----BEGIN",
    ];

    /// <summary>Finds the word of <paramref name="name"/> that marks it a credential.</summary>
    /// <param name="name">The env var name.</param>
    /// <returns>The matched word (e.g. <c>TOKEN</c>), or <see langword="null"/>.</returns>
    /// <remarks>
    /// The name is split on <c>_</c>, <c>-</c> and <c>.</c>; a part that starts or ends with a word matches, so
    /// <c>APIKEY</c>, <c>DB_PASSWD</c> and <c>AWS_CREDENTIALS</c> all do.
    /// </remarks>
    public static string? NameMatch(string name)
    {
        foreach (var part in name.ToUpperInvariant().Split('_', '-', '.'))
        {
            foreach (var word in s_nameWords)
            {
                if (part.StartsWith(word, StringComparison.Ordinal) || part.EndsWith(word, StringComparison.Ordinal))
                {
                    return word;
                }
            }
        }

        return null;
    }

    /// <summary>Describes why <paramref name="value"/> looks like a credential.</summary>
    /// <param name="value">The value after interpolation.</param>
    /// <returns>A short reason (never the value), or <see langword="null"/>.</returns>
    public static string? ValueMatch(string value)
    {
        var v = value.Trim();
        if (v.Length < 8)
        {
            return null;
        }

        if (UrlWithPassword().IsMatch(v))
        {
            return "a URL with a password";
        }

        foreach (var prefix in s_valuePrefixes)
        {
            if (v.StartsWith(prefix, StringComparison.Ordinal) && v.Length >= prefix.Length + 8 && !v.Contains(' ', StringComparison.Ordinal))
            {
                return $"a known key format ({prefix}…)";
            }
        }

        if (Jwt().IsMatch(v))
        {
            return "a JSON Web Token";
        }

        if (Hex().IsMatch(v))
        {
            return "a long hex string";
        }

        if (IsHighEntropy(v))
        {
            return "a high-entropy string";
        }

        // A URL that carries a token in its path or query (webhooks, signed links).
        if (v.Contains("://", StringComparison.Ordinal) && v.Split('/', '?', '&', '=', '#').Any(IsHighEntropy))
        {
            return "a URL with a token in it";
        }

        return null;
    }

    private static bool IsHighEntropy(string v) =>
        Base64ish().IsMatch(v) && v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetterUpper) && v.Any(char.IsAsciiLetterLower) && Entropy(v) >= 3.5;

    private static double Entropy(string value)
    {
        var counts = value.GroupBy(c => c).Select(g => (double)g.Count());
        return -counts.Sum(n => n / value.Length * Math.Log2(n / value.Length));
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]*:[^/\s@]+@")]
    private static partial Regex UrlWithPassword();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[0-9a-fA-F]{32,}$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^[A-Za-z0-9+/_\-]{20,}={0,2}$")]
    private static partial Regex Base64ish();
}
