using System.Text.RegularExpressions;

namespace McpFleet.Credentials;

/// <summary>What made a name/value pair a credential.</summary>
internal enum CredentialEvidence
{
    /// <summary>The name marks it (<c>DB_PASSWORD</c>, <c>REDIS_AUTH</c>).</summary>
    Name,

    /// <summary>The value is one, or holds one (a key format, a URL with user info, <c>Password=</c> in a connection string).</summary>
    Value,
}

/// <summary>Why a name/value pair is a credential. Never holds the value.</summary>
/// <param name="Evidence">Whether the name or the value gave it away.</param>
/// <param name="Reason">A short reason for reports and findings, e.g. <c>the name contains PASSWORD</c>.</param>
internal sealed record CredentialVerdict(CredentialEvidence Evidence, string Reason);

/// <summary>A credential inside a longer text: where it starts, how long it is, and why.</summary>
/// <param name="Start">The index of its first character.</param>
/// <param name="Length">Its length.</param>
/// <param name="Reason">Why it is one (never the text).</param>
internal sealed record CredentialSpan(int Start, int Length, string Reason);

/// <summary>
/// The one rule for what a credential is, shared by <c>mcpfleet import compose</c> (what moves to the secret store) and
/// the lint rules MCP020 and MCP050 (what a literal must not hold), so the two tools never disagree.
/// </summary>
/// <remarks>
/// <para>
/// A pair is a credential when its value is not inert (a boolean, an integer of at most six digits, empty, or a
/// reference such as <c>$(VAR)</c>) and either its name has a credential word or its value is, or contains, a
/// credential. False positives are cheap (a secret entry a person can turn back into a literal); false negatives put a
/// credential in Git, so each rule errs that way.
/// </para>
/// <para>
/// Name: split on <c>_ - . /</c> and camelCase; a part that starts or ends with a credential word matches
/// (<c>APIKEY</c>, <c>DB_PASSWD</c>, <c>MYSQL_PWD</c>, <c>REDIS_AUTH</c>), unless the last part says the variable
/// points at a credential rather than holding one (<c>_FILE</c>, <c>_URL</c>, <c>_ENABLED</c> …) or the part is a
/// known innocent word (<c>KEYCLOAK</c>, <c>AUTHOR</c>, <c>PASSTHROUGH</c> …).
/// </para>
/// </remarks>
internal static partial class CredentialClassifier
{
    // Order matters only for the word reported: the first word that matches the first matching part.
    private static readonly string[] s_nameWords =
    [
        "KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PRIVATE", "CREDENTIAL", "PASSWD", "PWD", "PW", "AUTH", "COOKIE",
        "SALT", "DSN", "BEARER",
    ];

    // A last part that makes the variable a pointer to a credential or a setting about one, not the credential.
    private static readonly HashSet<string> s_pointerSuffixes =
    [
        "FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "NAME", "REF", "ID", "TTL", "TIMEOUT", "EXPIRY",
        "HEADER", "TYPE", "MODE", "ENABLED", "DISABLED", "PREFIX", "LENGTH", "ALGORITHM", "ISSUER", "AUDIENCE", "SCOPE",
        "SCOPES", "PROVIDER", "REQUIRED", "METHOD", "USER", "USERNAME", "REGION", "VERSION", "FORMAT", "DOMAIN", "PORT",
        "SERVER", "HOSTNAME", "ADDR", "ADDRESS", "REALM", "STRATEGY", "BACKEND", "PROTOCOL", "SAMESITE", "SECURE",
        // The variable that holds it (the gateway's keyEnv, apiKeyEnv): a name, not the credential.
        "ENV", "VARIABLE",
    ];

    // Parts that start or end with a credential word by accident.
    private static readonly HashSet<string> s_innocentParts =
    [
        "AUTHOR", "AUTHORS", "AUTHORITY", "KEYCLOAK", "KEYSPACE", "KEYSPACES", "KEYBOARD", "KEYWORD", "KEYWORDS",
        "KEYFRAME", "KEYFRAMES", "HOTKEY", "HOTKEYS", "MONKEY", "DONKEY", "HOCKEY", "JOCKEY", "TURKEY", "TOKENIZER",
        "TOKENIZERS", "PASSTHROUGH", "PASSTHRU", "BYPASS", "COMPASS", "PASSIVE", "SALTSTACK",
    ];

    private static readonly string[] s_valuePrefixes =
    [
        "sk-", "sk_live_", "sk_test_", "rk_live_", "pk_live_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_",
        "glpat-", "xox", "AKIA", "ASIA", "AIza", "ya29.", "hf_", "npm_", "shpat_", "SG.",
    ];

    private static readonly HashSet<string> s_inertWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "enabled", "disabled",
    };

    /// <summary>Classifies a name/value pair: an env var, a ConfigMap key, a flag and its value.</summary>
    /// <param name="name">The name, e.g. <c>DB_PASSWORD</c> or <c>--api-key</c>.</param>
    /// <param name="value">The value, or <see langword="null"/> when there is none (a bare <c>KEY</c>).</param>
    /// <returns>Why it is a credential, or <see langword="null"/>.</returns>
    public static CredentialVerdict? Classify(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (value is not null && IsInert(value))
        {
            return null;
        }

        if (NameWord(name) is { } word)
        {
            return new CredentialVerdict(CredentialEvidence.Name, $"the name contains {word}");
        }

        return value is not null && ValueReason(value) is { } reason ? new CredentialVerdict(CredentialEvidence.Value, $"the value looks like {reason}") : null;
    }

    /// <summary>Finds the word of <paramref name="name"/> that marks it a credential.</summary>
    /// <param name="name">An env var, key or flag name (leading dashes are ignored).</param>
    /// <returns>The matched word (e.g. <c>TOKEN</c>), or <see langword="null"/>.</returns>
    public static string? NameWord(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = NameParts(name.TrimStart('-'));
        if (parts.Count == 0 || (parts.Count > 1 && s_pointerSuffixes.Contains(parts[^1])))
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (s_innocentParts.Contains(part))
            {
                continue;
            }

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

    /// <summary>
    /// Tells whether a value can never be a credential: empty, a boolean (<c>true</c>, <c>off</c> …), <c>none</c>,
    /// an integer of at most six digits or a short decimal, or a reference (<c>$(VAR)</c>, <c>${VAR}</c>,
    /// <c>&lt;placeholder&gt;</c>).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for an inert value.</returns>
    public static bool IsInert(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        return v.Length == 0 || s_inertWords.Contains(v) || SmallNumber().IsMatch(v) || IsReference(v);
    }

    /// <summary>Tells whether a value is a reference to another value rather than a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for <c>$(VAR)</c>, <c>${VAR}</c> or <c>&lt;placeholder&gt;</c>.</returns>
    public static bool IsReference(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.StartsWith("$(", StringComparison.Ordinal) || value.StartsWith("${", StringComparison.Ordinal)
            || (value.StartsWith('<') && value.EndsWith('>') && value.Length > 2);
    }

    /// <summary>Describes why <paramref name="value"/> is, or holds, a credential.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A short reason (never the value), or <see langword="null"/>.</returns>
    public static string? ValueReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        if (IsInert(v))
        {
            return null;
        }

        if (WholeValueReason(v) is { } whole)
        {
            return whole;
        }

        var spans = FindSpans(v);
        return spans.Count > 0 ? spans[0].Reason : null;
    }

    /// <summary>
    /// Finds the credentials inside a longer text: user info in any URL-like string (<c>//user:pass@</c>,
    /// <c>jdbc:mysql://…</c>, <c>user:pass@tcp(…)</c>), <c>name=value</c> pairs with a credential name (connection
    /// strings, JDBC and DSN parameters, <c>-Ddb.password=</c>, <c>"password": "x"</c> in JSON), HTTP authorization
    /// headers and bearer tokens, and private keys (certificates are public).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The spans, in text order, not overlapping.</returns>
    public static IReadOnlyList<CredentialSpan> FindSpans(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<CredentialSpan>();
        foreach (Match m in UserInfo().Matches(text))
        {
            var info = m.Groups["info"];
            if (!IsReferenceOnly(info.Value))
            {
                Add(info.Index, info.Length, info.Value.Contains(':', StringComparison.Ordinal) ? "a URL with a password" : "a URL with user info (often a token)");
            }
        }

        foreach (Match m in DsnUserInfo().Matches(text))
        {
            var info = m.Groups["info"];
            if (!IsReferenceOnly(info.Value))
            {
                Add(info.Index, info.Length, "a connection string with a password");
            }
        }

        foreach (var m in Pair().Matches(text).Concat(QuotedPair().Matches(text)))
        {
            var value = m.Groups["value"];
            if (NameWord(m.Groups["name"].Value) is { } word && !IsInert(value.Value.Trim('"', '\'')))
            {
                Add(value.Index, value.Length, $"a {word.ToLowerInvariant()} inside a longer value");
            }
        }

        foreach (Match m in Header().Matches(text))
        {
            var value = m.Groups["value"];
            if (!IsInert(value.Value))
            {
                Add(value.Index, value.Length, "an authorization header");
            }
        }

        foreach (Match m in BearerToken().Matches(text))
        {
            var value = m.Groups["value"];
            Add(value.Index, value.Length, "a bearer token");
        }

        if (PrivateKey().Match(text) is { Success: true } pem)
        {
            Add(pem.Index, text.Length - pem.Index, "a private key");
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;

        void Add(int start, int length, string reason)
        {
            if (length > 0 && !spans.Exists(s => start < s.Start + s.Length && s.Start < start + length))
            {
                spans.Add(new CredentialSpan(start, length, reason));
            }
        }
    }

    // user:$(PASSWORD) or $(TOKEN): the credential part is already a reference.
    private static bool IsReferenceOnly(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return IsReference(colon < 0 ? userInfo : userInfo[(colon + 1)..]);
    }

    /// <summary>Splits a name into upper-case parts on <c>_ - . /</c>, spaces and camelCase boundaries.</summary>
    private static List<string> NameParts(string name)
    {
        var parts = new List<string>();
        foreach (var piece in name.Split('_', '-', '.', '/', ' ', ':'))
        {
            var start = 0;
            for (var i = 1; i < piece.Length; i++)
            {
                if (char.IsAsciiLetterUpper(piece[i]) && char.IsAsciiLetterLower(piece[i - 1]))
                {
                    parts.Add(piece[start..i].ToUpperInvariant());
                    start = i;
                }
            }

            if (piece.Length > start)
            {
                parts.Add(piece[start..].ToUpperInvariant());
            }
        }

        return parts;
    }

    /// <summary>
    /// Describes why <paramref name="value"/> as a whole is a credential: a known key format, a JSON Web Token, a long
    /// hex string, a high-entropy string, or a URL with a token in its path or query. Values shorter than 8 are not.
    /// </summary>
    /// <param name="value">The value, trimmed.</param>
    /// <returns>A short reason (never the value), or <see langword="null"/>.</returns>
    public static string? WholeValueReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value;
        if (v.Length < 8)
        {
            return null;
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

        if (UserInfo().IsMatch(v))
        {
            return null;
        }

        // A URL that carries a token in its path or query (webhooks, signed links).
        return v.Contains("://", StringComparison.Ordinal) && v.Split('/', '?', '&', '=', '#').Any(IsHighEntropy) ? "a URL with a token in it" : null;
    }

    private static bool IsHighEntropy(string v) =>
        Base64ish().IsMatch(v) && v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetterUpper) && v.Any(char.IsAsciiLetterLower) && Entropy(v) >= 3.5;

    private static double Entropy(string value)
    {
        var counts = value.GroupBy(c => c).Select(g => (double)g.Count());
        return -counts.Sum(n => n / value.Length * Math.Log2(n / value.Length));
    }

    [GeneratedRegex(@"^[+-]?[0-9]{1,6}(\.[0-9]{1,6})?$")]
    private static partial Regex SmallNumber();

    // scheme://user:pass@host, jdbc:mysql://user@host, //token@host: any user info before a host.
    [GeneratedRegex(@"//(?<info>[^/\s@?#""'<>]+)@[A-Za-z0-9\[$]")]
    private static partial Regex UserInfo();

    // Go's MySQL DSN and similar: user:pass@tcp(host:3306)/db, or user:pass@host at the start of a value.
    [GeneratedRegex(@"(?:^|[\s=""'])(?<info>[A-Za-z0-9_.\-]+:[^\s@/""']+)@(?!sha(?:256|512):)(?:[a-z]+\(|[A-Za-z0-9][A-Za-z0-9.\-]*)")]
    private static partial Regex DsnUserInfo();

    // name=value inside a longer value: Password=x; in a connection string, ?password=x in a JDBC URL, -Ddb.password=x.
    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?<value>\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|""[^""]*""|'[^']*'|[^\s;,&""'<>)]+)")]
    private static partial Regex Pair();

    // "password": "x" in a JSON (or YAML flow) document held in a value.
    [GeneratedRegex(@"[""'](?<name>[A-Za-z_][A-Za-z0-9_.\-]*)[""']\s*:\s*[""'](?<value>[^""']*)[""']")]
    private static partial Regex QuotedPair();

    // Authorization: Bearer x, X-Api-Key: x, Cookie: x (the value after an optional scheme word).
    [GeneratedRegex(@"(?i)\b(?:proxy-authorization|authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|private-token|x-token|cookie)\s*:\s*(?:(?:bearer|basic|token|digest|apikey|sso-key)\s+)?(?<value>[^\s""',;]+)")]
    private static partial Regex Header();

    [GeneratedRegex(@"\b(?:[Bb]earer|Basic)\s+(?<value>[A-Za-z0-9._~+/=\-]{8,})")]
    private static partial Regex BearerToken();

    // Certificates are public; private keys (PKCS#1/#8, EC, OpenSSH, PGP) are not.
    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[0-9a-fA-F]{32,}$")]
    private static partial Regex Hex();

    [GeneratedRegex(@"^[A-Za-z0-9+/_\-]{20,}={0,2}$")]
    private static partial Regex Base64ish();
}
