using System.Globalization;
using System.Text.RegularExpressions;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>A port number in command words: whether a word names it, and rewriting it when the port is remapped.</summary>
internal static partial class PortWords
{
    /// <summary>Tells whether <paramref name="word"/> names <paramref name="port"/> as a port (a flag value or <c>host:port</c>).</summary>
    /// <param name="previous">The word before, or an empty string.</param>
    /// <param name="word">A command word.</param>
    /// <param name="port">The port.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool Mentions(string previous, string word, int port) =>
        Rewrite(previous, word, port, port) is { Rewritten: true };

    /// <summary>
    /// Replaces <paramref name="oldPort"/> by <paramref name="newPort"/> where the word plainly uses it as a port: the
    /// value of a port flag (<c>--port 8383</c>, <c>-p 8383</c>, <c>--sse-port=8383</c>), or after a colon
    /// (<c>0.0.0.0:8383</c>, <c>http://localhost:8383/mcp</c>), also inside a script.
    /// </summary>
    /// <param name="previous">The word before (a flag whose value this may be), or an empty string.</param>
    /// <param name="word">The word.</param>
    /// <param name="oldPort">The port the service used.</param>
    /// <param name="newPort">The MCP port it gets.</param>
    /// <returns>The word, whether it was rewritten, and whether it holds the old number elsewhere (a person should look).</returns>
    public static (string Word, bool Rewritten, bool Doubtful) Rewrite(string previous, string word, int oldPort, int newPort)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(word);
        var text = oldPort.ToString(CultureInfo.InvariantCulture);
        if (word == text)
        {
            return PortFlag().IsMatch(previous) ? (newPort.ToString(CultureInfo.InvariantCulture), true, false) : (word, false, true);
        }

        var occurrences = Occurrences(word, oldPort).ToList();
        var sound = occurrences.Where(o => IsPort(word, o)).ToList();
        var result = word;
        foreach (var at in sound.OrderByDescending(o => o))
        {
            result = result[..at] + newPort.ToString(CultureInfo.InvariantCulture) + result[(at + text.Length)..];
        }

        return (result, sound.Count > 0, sound.Count < occurrences.Count);
    }

    private static IEnumerable<int> Occurrences(string word, int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        for (var at = word.IndexOf(text, StringComparison.Ordinal); at >= 0; at = word.IndexOf(text, at + 1, StringComparison.Ordinal))
        {
            var end = at + text.Length;
            if ((at == 0 || !char.IsAsciiDigit(word[at - 1])) && (end == word.Length || !char.IsAsciiDigit(word[end])))
            {
                yield return at;
            }
        }
    }

    // A port after a colon (host:port, URL), as a port flag's value (--port=8383, PORT=8383), or after a port flag in a script.
    private static bool IsPort(string word, int at) =>
        (at > 0 && word[at - 1] == ':') || PortAssignment().IsMatch(word[..at]) || PortFlagBefore().IsMatch(word[..at]);

    [GeneratedRegex(@"(?i)^--?[A-Za-z0-9_.\-]*port[A-Za-z0-9_.\-]*$|^-[pP]$")]
    private static partial Regex PortFlag();

    [GeneratedRegex(@"(?i)[A-Za-z0-9_.\-]*port[A-Za-z0-9_.\-]*=$")]
    private static partial Regex PortAssignment();

    [GeneratedRegex(@"(?i)(?:^|\s)(?:--?[A-Za-z0-9_.\-]*port[A-Za-z0-9_.\-]*|-[pP])\s+$")]
    private static partial Regex PortFlagBefore();
}
