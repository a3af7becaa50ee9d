using System.Text;
using System.Text.RegularExpressions;
using McpFleet.Credentials;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>A credential inside one command word: where it starts in the word, its length, and why.</summary>
/// <param name="Start">The index in the word.</param>
/// <param name="Length">The length.</param>
/// <param name="Why">Why it is a credential (never the text).</param>
internal sealed record WordSecret(int Start, int Length, string Why);

/// <summary>
/// Container command words (<c>entrypoint</c>, <c>command</c>): the credentials in them, and a shape of the command
/// that the report can print without any value.
/// </summary>
internal static partial class CommandWords
{
    // A script's words also end at shell operators: `login --password x; echo x` has the word `x`, not `x;`.
    private static readonly char[] s_shellOperators = [';', '&', '|', '(', ')', '<', '>', '`'];

    /// <summary>
    /// Finds the credentials in <paramref name="word"/>: the value of a credential-named flag (<c>--auth x</c>,
    /// <c>--db-password=x</c>), mysql's <c>-p&lt;password&gt;</c>, <c>-u user:password</c>, a value that is or holds a
    /// credential (<see cref="CredentialClassifier"/>), and, in a shell script (<c>sh -c '…'</c>), each of its words
    /// the same way.
    /// </summary>
    /// <param name="previous">The word before (a flag whose value this may be), or an empty string.</param>
    /// <param name="word">The word.</param>
    /// <returns>The credentials, in word order, not overlapping.</returns>
    public static IReadOnlyList<WordSecret> FindSecrets(string previous, string word)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0 || IsExactReference(word))
        {
            return [];
        }

        var eq = word.IndexOf('=', StringComparison.Ordinal);
        if (word.StartsWith('-') && eq > 1 && !word[..eq].Contains(' ', StringComparison.Ordinal))
        {
            var flag = word[..eq];
            var value = word[(eq + 1)..];
            if (CredentialClassifier.NameWord(flag) is { } flagWord && !CredentialClassifier.IsInert(value))
            {
                return [new WordSecret(eq + 1, value.Length, $"the value of {flag}, whose name contains {flagWord}")];
            }

            return [.. FindIn(value).Select(s => s with { Start = s.Start + eq + 1 })];
        }

        if (previous.StartsWith('-') && !previous.Contains('=', StringComparison.Ordinal) && !word.StartsWith('-'))
        {
            if (CredentialClassifier.NameWord(previous) is { } flagWord && !CredentialClassifier.IsInert(word))
            {
                return [new WordSecret(0, word.Length, $"the value of {previous}, whose name contains {flagWord}")];
            }

            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (previous is "-u" or "--user" && colon > 0 && !CredentialClassifier.IsInert(word[(colon + 1)..]))
            {
                return [new WordSecret(0, word.Length, $"the value of {previous} (user:password)")];
            }
        }

        if (word.Length > 2 && word.StartsWith("-p", StringComparison.Ordinal) && !CredentialClassifier.IsInert(word[2..]) && !PortLike().IsMatch(word[2..]))
        {
            return [new WordSecret(2, word.Length - 2, "the value of -p (a password, as in mysql -p<password>)")];
        }

        return FindIn(word);
    }

    /// <summary>Replaces each credential in <paramref name="word"/> by a reference; one reference per distinct text.</summary>
    /// <param name="word">The word.</param>
    /// <param name="secrets">Its credentials, from <see cref="FindSecrets"/>.</param>
    /// <param name="reference">Gives the reference text (e.g. <c>$(ARGS_2_SECRET)</c>) of the n-th distinct credential and its reason.</param>
    /// <returns>The word without any credential.</returns>
    public static string Redact(string word, IReadOnlyList<WordSecret> secrets, Func<int, string, string> reference)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(reference);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            var text = word.Substring(secret.Start, secret.Length);
            if (!names.ContainsKey(text))
            {
                names[text] = reference(names.Count, secret.Why);
            }
        }

        var result = new StringBuilder(word);
        foreach (var secret in secrets.OrderByDescending(s => s.Start))
        {
            var text = word.Substring(secret.Start, secret.Length);
            result.Remove(secret.Start, secret.Length).Insert(secret.Start, names[text]);
        }

        return result.ToString();
    }

    /// <summary>
    /// Describes a command without its values, for the report: the program, flag names and references stay; every
    /// other word, and every flag's value, becomes <c>$(&lt;PLACEHOLDER&gt;_&lt;n&gt;)</c> for word n.
    /// </summary>
    /// <param name="words">The words, as written to the values file.</param>
    /// <param name="placeholder">The placeholder prefix, <c>ARGS</c> or <c>COMMAND</c>.</param>
    /// <returns>The shape, e.g. <c>mcp-proxy --sse-port=$(ARGS_1) $(ARGS_2)</c>.</returns>
    public static string Shape(IReadOnlyList<string> words, string placeholder)
    {
        ArgumentNullException.ThrowIfNull(words);
        var shown = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var hidden = $"$({placeholder}_{i})";
            if (IsExactReference(word) || word == "--")
            {
                shown.Add(word);
            }
            else if (i == 0 && Program().IsMatch(word) && CredentialClassifier.WholeValueReason(word) is null)
            {
                shown.Add(word);
            }
            else if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? word : word[..eq];
                shown.Add(!FlagName().IsMatch(name) ? hidden : eq < 0 ? name : name + "=" + (IsExactReference(word[(eq + 1)..]) ? word[(eq + 1)..] : hidden));
            }
            else if (word.Length >= 2 && word[0] == '-' && char.IsAsciiLetter(word[1]))
            {
                shown.Add(word.Length == 2 ? word : word[..2] + (IsExactReference(word[2..]) ? word[2..] : hidden));
            }
            else
            {
                shown.Add(hidden);
            }
        }

        return string.Join(' ', shown);
    }

    private static bool IsExactReference(string text) => ExactReference().IsMatch(text);

    /// <summary>The credentials in a value: whole, inside it, or in the words of a script.</summary>
    private static List<WordSecret> FindIn(string text)
    {
        if (CredentialClassifier.WholeValueReason(text.Trim()) is { } whole)
        {
            return [new WordSecret(0, text.Length, "it looks like " + whole)];
        }

        var found = CredentialClassifier.FindSpans(text).Select(s => new WordSecret(s.Start, s.Length, "it holds " + s.Reason)).ToList();
        if (!text.Any(char.IsWhiteSpace))
        {
            return found;
        }

        // A script (sh -c '…'): its words are scanned like command words, then found again in the text.
        var words = ComposeUnits.SplitShellWords(text).SelectMany(w => w.Split(s_shellOperators, StringSplitOptions.RemoveEmptyEntries)).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            foreach (var inner in FindSecrets(i > 0 ? words[i - 1] : "", words[i]))
            {
                var located = Occurrences(text, words[i], IsShellBoundary).Select(p => new WordSecret(p + inner.Start, inner.Length, inner.Why)).ToList();
                if (located.Count == 0)
                {
                    // Quoting changed the text of the word: the whole script is the secret.
                    return [new WordSecret(0, text.Length, inner.Why + " (in a script)")];
                }

                var token = words[i].Substring(inner.Start, inner.Length);
                located.AddRange(Occurrences(text, token, c => !char.IsAsciiLetterOrDigit(c) && c != '_').Select(p => new WordSecret(p, token.Length, inner.Why)));
                found.AddRange(located);
            }
        }

        var merged = new List<WordSecret>();
        foreach (var secret in found.OrderBy(s => s.Start).ThenByDescending(s => s.Length))
        {
            if (!merged.Exists(m => secret.Start < m.Start + m.Length && m.Start < secret.Start + secret.Length))
            {
                merged.Add(secret);
            }
        }

        return merged;
    }

    private static IEnumerable<int> Occurrences(string text, string token, Func<char, bool> boundary)
    {
        if (token.Length == 0)
        {
            yield break;
        }

        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + 1, StringComparison.Ordinal))
        {
            var end = at + token.Length;
            if ((at == 0 || boundary(text[at - 1])) && (end == text.Length || boundary(text[end])))
            {
                yield return at;
            }
        }
    }

    private static bool IsShellBoundary(char c) => char.IsWhiteSpace(c) || c is '\'' or '"' or ';' or '|' or '&' or '(' or ')' or '`';

    [GeneratedRegex(@"^\$\([A-Za-z_][A-Za-z0-9_]*\)$")]
    private static partial Regex ExactReference();

    // -p9000, -p9000:9000, -p127.0.0.1:9000:9000/tcp: a port, not a password.
    [GeneratedRegex(@"^(?:[0-9.]+:)?[0-9]+(?:-[0-9]+)?(?::[0-9]+(?:-[0-9]+)?)?(?:/[a-z]+)?$")]
    private static partial Regex PortLike();

    [GeneratedRegex(@"^[A-Za-z0-9_./+-]+$")]
    private static partial Regex Program();

    [GeneratedRegex(@"^--[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex FlagName();
}
