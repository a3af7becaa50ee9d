using System.Text;
using McpFleet.Credentials;
using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>A <c>${VAR:?message}</c> (or <c>${VAR?message}</c>) whose variable has no value.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Message">The message as written, when it is safe to print (no <c>$</c>, nothing credential-like); else <see langword="null"/>.</param>
/// <param name="Location">Where it was written.</param>
internal sealed record MissingRequired(string Name, string? Message, SourceLocation Location)
{
    /// <summary>Gets the MCI006 error. The message is never expanded: it could interpolate a secret.</summary>
    public Diagnostic Error => new(
        DiagnosticSeverity.Error,
        ImportCodes.RequiredVariable,
        $"required variable {Name} is missing a value{(Message is { Length: > 0 } m ? ": " + m : "")}",
        Location);
}

/// <summary>The result of interpolating one scalar.</summary>
/// <param name="Value">The text after interpolation.</param>
/// <param name="Variables">The variables read, in order.</param>
/// <param name="Missing">The required variables without a value (only when the interpolator defers them).</param>
internal sealed record Interpolation(string Value, IReadOnlyList<string> Variables, IReadOnlyList<MissingRequired> Missing);

/// <summary>
/// Compose variable interpolation: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c> and <c>$$</c> for a literal <c>$</c>.
/// </summary>
/// <remarks>
/// Variables come only from the env file (<c>--env-file</c>, else <c>.env</c> beside the first Compose file), never from
/// the importing process's environment: the output must not depend on who ran the import, and a developer's shell
/// often holds real credentials.
/// </remarks>
/// <param name="variables">The variables, from the env file.</param>
/// <param name="diagnostics">Receives MCI005, and MCI006 unless <paramref name="deferRequired"/>.</param>
/// <param name="deferRequired">
/// Whether a required variable without a value is returned in <see cref="Interpolation.Missing"/> rather than reported:
/// the import decides later, because a variable that only feeds a secret does not need a value to import.
/// </param>
internal sealed class Interpolator(IReadOnlyDictionary<string, string> variables, DiagnosticBag diagnostics, bool deferRequired = false)
{
    private readonly List<(string Name, SourceLocation Location)> _unset = [];
    private Func<string, string?>? _substitute;

    /// <summary>Gets the variables used without a value and without a default, with where they were used.</summary>
    public IReadOnlyList<(string Name, SourceLocation Location)> Unset => _unset;

    /// <summary>Gets the variables the interpolation reads from.</summary>
    public IReadOnlyDictionary<string, string> Variables => variables;

    /// <summary>Interpolates <paramref name="text"/>.</summary>
    /// <param name="text">The raw scalar.</param>
    /// <param name="location">Where it was written, for errors.</param>
    /// <returns>The value and the names of the variables read, in order.</returns>
    public (string Value, IReadOnlyList<string> Variables) Interpolate(string text, SourceLocation location)
    {
        var result = Expand(text, location);
        return (result.Value, result.Variables);
    }

    /// <summary>Interpolates <paramref name="text"/>, keeping the required variables that have no value.</summary>
    /// <param name="text">The raw scalar.</param>
    /// <param name="location">Where it was written, for errors.</param>
    /// <returns>The value, the variables read, and the required ones missing (when deferred).</returns>
    public Interpolation Expand(string text, SourceLocation location)
    {
        _substitute = null;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new Interpolation(text, [], []);
        }

        var used = new List<string>();
        var missing = new List<MissingRequired>();
        var value = Expand(text, location, used, missing);
        if (!deferRequired)
        {
            missing.ForEach(m => diagnostics.Add(m.Error));
            missing.Clear();
        }

        return new Interpolation(value, used, missing);
    }

    /// <summary>
    /// Interpolates again with some variables replaced by other text, e.g. <c>$(API_TOKEN)</c> so Kubernetes expands a
    /// secret env var in args instead of the value landing in the manifest. Records nothing as unset.
    /// </summary>
    /// <param name="text">The raw scalar.</param>
    /// <param name="location">Where it was written.</param>
    /// <param name="substitute">Returns the replacement of a variable, or <see langword="null"/> to use its value.</param>
    /// <returns>The value.</returns>
    public string Reinterpolate(string text, SourceLocation location, Func<string, string?> substitute)
    {
        _substitute = substitute;
        var unset = _unset.Count;
        try
        {
            return Expand(text, location, [], []);
        }
        finally
        {
            _substitute = null;
            _unset.RemoveRange(unset, _unset.Count - unset);
        }
    }

    private string Expand(string text, SourceLocation location, List<string> used, List<MissingRequired> missing)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                var close = FindClose(text, i + 2);
                if (close < 0)
                {
                    // The text is not quoted: it may be a literal credential that happens to hold "${".
                    diagnostics.Error(ImportCodes.Interpolation, location, "invalid interpolation: unclosed '${' (write $$ for a literal $)");
                    return text;
                }

                result.Append(ExpandBraced(text[(i + 2)..close], location, used, missing));
                i = close + 1;
            }
            else if (IsNameStart(next))
            {
                var end = i + 1;
                while (end < text.Length && IsNamePart(text[end]))
                {
                    end++;
                }

                result.Append(Lookup(text[(i + 1)..end], location, used) ?? "");
                i = end;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }

    private string ExpandBraced(string body, SourceLocation location, List<string> used, List<MissingRequired> missing)
    {
        var end = 0;
        while (end < body.Length && IsNamePart(body[end]))
        {
            end++;
        }

        var name = body[..end];
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            diagnostics.Error(ImportCodes.Interpolation, location, "invalid interpolation: '${' is not followed by a variable name (write $$ for a literal $)");
            return "";
        }

        var rest = body[end..];
        if (_substitute?.Invoke(name) is { } replacement)
        {
            return replacement;
        }

        var found = variables.TryGetValue(name, out var value);
        used.Add(name);
        if (rest.Length == 0)
        {
            if (!found)
            {
                _unset.Add((name, location));
            }

            return value ?? "";
        }

        var colon = rest.StartsWith(':');
        var op = colon ? rest.Length > 1 ? rest[1] : '\0' : rest[0];
        var argument = rest[(colon ? 2 : 1)..];
        var isSet = colon ? !string.IsNullOrEmpty(value) : found;
        switch (op)
        {
            case '-':
                return isSet ? value! : Expand(argument, location, used, missing);
            case '+':
                return isSet ? Expand(argument, location, used, missing) : "";
            case '?':
                if (!isSet)
                {
                    missing.Add(new MissingRequired(name, SafeMessage(argument), location));
                    return "";
                }

                return value!;
            default:
                diagnostics.Error(ImportCodes.Interpolation, location, $"invalid interpolation: unknown operator after '${{{name}'");
                return "";
        }
    }

    private string? Lookup(string name, SourceLocation location, List<string> used)
    {
        used.Add(name);
        if (_substitute?.Invoke(name) is { } replacement)
        {
            return replacement;
        }

        if (variables.TryGetValue(name, out var value))
        {
            return value;
        }

        _unset.Add((name, location));
        return null;
    }

    private static int FindClose(string text, int from)
    {
        var depth = 1;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    // The message of ${VAR:?message} is printed as written, never expanded (it could interpolate a secret), and only
    // when it refers to no variable and holds nothing credential-like.
    private static string? SafeMessage(string message) =>
        message.Length == 0 ? "is not set"
        : message.Contains('$', StringComparison.Ordinal) || CredentialClassifier.ValueReason(message) is not null || message.Split(' ').Any(w => CredentialClassifier.WholeValueReason(w) is not null) ? null
        : message;

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
