using System.Text;
using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>
/// Compose variable interpolation: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c> and <c>$$</c> for a literal <c>$</c>.
/// </summary>
/// <remarks>
/// Variables come only from the env file (<c>--env-file</c>, else <c>.env</c> beside the first Compose file), never from
/// the importing process's environment: the output must not depend on who ran the import, and a developer's shell
/// often holds real credentials.
/// </remarks>
internal sealed class Interpolator(IReadOnlyDictionary<string, string> variables, DiagnosticBag diagnostics)
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
        _substitute = null;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return (text, []);
        }

        var used = new List<string>();
        var value = Expand(text, location, used);
        return (value, used);
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
            return Expand(text, location, []);
        }
        finally
        {
            _substitute = null;
            _unset.RemoveRange(unset, _unset.Count - unset);
        }
    }

    private string Expand(string text, SourceLocation location, List<string> used)
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
                    diagnostics.Error(ImportCodes.Interpolation, location, $"invalid interpolation: unclosed '${{' in \"{Shorten(text)}\"");
                    return text;
                }

                result.Append(ExpandBraced(text[(i + 2)..close], location, used));
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

    private string ExpandBraced(string body, SourceLocation location, List<string> used)
    {
        var end = 0;
        while (end < body.Length && IsNamePart(body[end]))
        {
            end++;
        }

        var name = body[..end];
        if (name.Length == 0 || !IsNameStart(name[0]))
        {
            diagnostics.Error(ImportCodes.Interpolation, location, $"invalid interpolation: '${{{Shorten(body)}}}' does not start with a variable name");
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
                return isSet ? value! : Expand(argument, location, used);
            case '+':
                return isSet ? Expand(argument, location, used) : "";
            case '?':
                if (!isSet)
                {
                    var why = argument.Length > 0 ? Expand(argument, location, used) : "is not set";
                    diagnostics.Error(ImportCodes.RequiredVariable, location, $"required variable {name} is missing a value: {why}");
                    return "";
                }

                return value!;
            default:
                diagnostics.Error(ImportCodes.Interpolation, location, $"invalid interpolation: unknown operator in '${{{Shorten(body)}}}'");
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

    // Error messages quote the expression, never a variable's value: values may be secrets.
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
