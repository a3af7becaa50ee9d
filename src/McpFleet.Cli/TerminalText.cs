using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpFleet.Cli;

/// <summary>Makes text from input files safe to print: C0 and C1 control characters become <c>\uXXXX</c>.</summary>
/// <remarks>
/// Keys, names and values come from YAML anyone may have written; printed raw, <c>ESC ] 0;…BEL</c> retitles the
/// terminal and <c>ESC [ 2J</c> clears it. Tab and line feed stay (reports and tables use them); everything else below
/// U+0020, DEL and U+0080–U+009F is escaped. Every text output of the CLI goes through <see cref="Escape"/>.
/// </remarks>
internal static class TerminalText
{
    private static readonly SearchValues<char> s_controls = SearchValues.Create(
        [.. Enumerable.Range(0, 0xA0).Select(i => (char)i).Where(IsControl)]);

    /// <summary>Escapes the control characters of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text, unchanged when it has none.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(s_controls);
        if (first < 0)
        {
            return text;
        }

        StringBuilder? escaped = null;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (IsControl(c))
            {
                escaped ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped?.Append(c);
            }
        }

        return escaped?.ToString() ?? text;
    }

    private static bool IsControl(char c) => c is (< ' ' and not '\t' and not '\n') or (>= '\u007f' and <= '\u009f');
}
