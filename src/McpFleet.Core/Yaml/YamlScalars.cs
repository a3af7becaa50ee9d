using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpFleet.Yaml;

/// <summary>How a writer puts a string into YAML.</summary>
internal enum YamlScalarStyle
{
    /// <summary>As it is.</summary>
    Plain,

    /// <summary>In double quotes, with escapes.</summary>
    DoubleQuoted,

    /// <summary>As a literal block (<c>|</c>).</summary>
    Literal,
}

/// <summary>
/// The one home of "what does a plain scalar mean": how McpFleet's readers type one (YAML 1.2 core schema), and when its
/// writers must quote a string so that every reader of their output reads the same string back.
/// </summary>
/// <remarks>
/// The readers (<see cref="YamlReader"/>, <see cref="BlockYamlReader"/>, through <see cref="YScalar"/>) follow YAML 1.2.
/// The writers (the renderer's <c>YamlEmitter</c>, <c>helm values</c>, <c>import compose</c>) write for more readers
/// than McpFleet's: kubectl and Helm read YAML 1.1 through go-yaml, where <c>yes</c> and <c>on</c> are booleans,
/// <c>0777</c> is octal, <c>1_000</c> and <c>12:30</c> are integers and <c>1e3</c> is a float. So
/// <see cref="ReadsAsNonString(ReadOnlySpan{byte})"/> is deliberately wider than the 1.2 typing: whatever
/// <see cref="IsCoreNull"/>, <see cref="IsCoreBool"/> or <see cref="IsCoreNumber"/> accepts, it quotes too (a test holds
/// the two to that).
/// </remarks>
internal static class YamlScalars
{
    private static readonly SearchValues<byte> s_flowIndicators = SearchValues.Create(",[]{}"u8);
    private static readonly SearchValues<byte> s_leadingIndicators = SearchValues.Create("-?:,[]{}#&*!|>'\"%@` "u8);

    /// <summary>Whether YAML 1.2 reads this plain scalar as null (<c>~</c>, <c>null</c> or nothing at all).</summary>
    public static bool IsCoreNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Whether YAML 1.2 reads this plain scalar as a boolean.</summary>
    public static bool IsCoreBool(string value) => value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    /// <summary>Whether YAML 1.2 reads this plain scalar as a decimal, octal (<c>0o</c>) or hex (<c>0x</c>) integer.</summary>
    public static bool IsCoreInteger(string value)
    {
        var s = value.StartsWith('-') || value.StartsWith('+') ? value[1..] : value;
        if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            return s.Length > 2 && s[2..].All(char.IsAsciiHexDigit);
        }

        if (s.StartsWith("0o", StringComparison.Ordinal))
        {
            return s.Length > 2 && s[2..].All(c => c is >= '0' and <= '7');
        }

        return s.Length > 0 && s.All(char.IsAsciiDigit);
    }

    /// <summary>Whether YAML 1.2 reads this plain scalar as an int or a float (<c>.inf</c>, <c>.nan</c> too).</summary>
    public static bool IsCoreNumber(string value) => value.Length > 0 && (IsCoreInteger(value)
        || value is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN"
        || (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && value.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')));

    /// <summary>
    /// Whether some YAML reader (1.1 or 1.2) could read this text, written plain, as something other than this string:
    /// null, a boolean (<c>yes</c>, <c>on</c>, <c>y</c> too), a number in any spelling (<c>0x1F</c>, <c>0o17</c>,
    /// <c>0777</c>, <c>1_000</c>, <c>1e3</c>, <c>.inf</c>), a date or a time (<c>2025-07-10</c>, <c>12:30</c>), or the
    /// merge and value keys (<c>&lt;&lt;</c>, <c>=</c>). A writer quotes such a string.
    /// </summary>
    /// <param name="value">The string.</param>
    /// <returns><see langword="true"/> when it must be quoted.</returns>
    public static bool ReadsAsNonString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Almost every string a writer checks is short: transcode those on the stack.
        Span<byte> utf8 = stackalloc byte[64];
        return Encoding.UTF8.TryGetBytes(value, utf8, out var written)
            ? ReadsAsNonString(utf8[..written])
            : ReadsAsNonString(Encoding.UTF8.GetBytes(value));
    }

    /// <inheritdoc cref="ReadsAsNonString(string)"/>
    /// <param name="utf8">The string as UTF-8.</param>
    public static bool ReadsAsNonString(ReadOnlySpan<byte> utf8) => utf8.Length == 0 || IsReserved(utf8) || LooksNumeric(utf8);

    /// <summary>
    /// Decides how a writer that does its own syntax (the renderer's emitter) writes a string: plain when every reader
    /// reads it back unchanged, a literal block for multi-line text, else double-quoted. Writers built on YamlDotNet's
    /// emitter, which handles the syntax, need only <see cref="ReadsAsNonString(string)"/>.
    /// </summary>
    /// <param name="s">The string as UTF-8.</param>
    /// <returns>The style.</returns>
    public static YamlScalarStyle Classify(ReadOnlySpan<byte> s)
    {
        if (ReadsAsNonString(s))
        {
            return YamlScalarStyle.DoubleQuoted;
        }

        var multiline = false;
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            if (b == '\n')
            {
                multiline = true;
            }
            else if ((b < 0x20 && b != '\t') || b == 0x7f
                || (b == 0xC2 && i + 1 < s.Length && s[i + 1] == 0x85)
                || (b == 0xE2 && i + 2 < s.Length && s[i + 1] == 0x80 && s[i + 2] is 0xA8 or 0xA9)
                || (b == 0xEF && i + 2 < s.Length && s[i + 1] == 0xBB && s[i + 2] == 0xBF))
            {
                // A tab is fine in a literal block (and is quoted on one line); anything else needs an escape.
                return YamlScalarStyle.DoubleQuoted;
            }
        }

        if (multiline)
        {
            return LiteralSafe(s) ? YamlScalarStyle.Literal : YamlScalarStyle.DoubleQuoted;
        }

        return PlainSafe(s) ? YamlScalarStyle.Plain : YamlScalarStyle.DoubleQuoted;
    }

    private static bool PlainSafe(ReadOnlySpan<byte> s) =>
        !s_leadingIndicators.Contains(s[0])
        && s[^1] is not ((byte)' ' or (byte)':')
        && !s.Contains((byte)'\t')
        && s.IndexOf(": "u8) < 0
        && s.IndexOf(" #"u8) < 0
        // Flow indicators are harmless in block context but trip some readers; quote to be safe.
        && !s.ContainsAny(s_flowIndicators);

    // A literal block detects its indentation from the first non-empty line, which therefore must not start with a space.
    private static bool LiteralSafe(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && s[i] == '\n')
        {
            i++;
        }

        return i < s.Length && s[i] != ' ';
    }

    // YAML 1.1 booleans and nulls (y, yes, on, ...), which YAML 1.2 readers still honour in practice, and merge/value keys.
    private static bool IsReserved(ReadOnlySpan<byte> s)
    {
        if (s.Length > 5)
        {
            return false;
        }

        Span<byte> lower = stackalloc byte[5];
        var n = Ascii.ToLower(s, lower, out var written);
        if (n != OperationStatus.Done)
        {
            return false;
        }

        return lower[..written] switch
        {
            [(byte)'y'] or [(byte)'n'] or [(byte)'~'] or [(byte)'='] or [(byte)'<', (byte)'<'] => true,
            var w => w.SequenceEqual("yes"u8) || w.SequenceEqual("no"u8) || w.SequenceEqual("true"u8) || w.SequenceEqual("false"u8)
                || w.SequenceEqual("on"u8) || w.SequenceEqual("off"u8) || w.SequenceEqual("null"u8),
        };
    }

    // Anything a YAML 1.1 or 1.2 reader could take as a number, a date or a time (1, 0x1F, 1e3, .5, 1_000, 12:30, 2.0.0,
    // 2025-07-10) is quoted. Quantities such as 500m or 1Gi have a letter outside that alphabet and stay plain.
    private static bool LooksNumeric(ReadOnlySpan<byte> s)
    {
        var i = s[0] is (byte)'+' or (byte)'-' ? 1 : 0;
        if (i >= s.Length)
        {
            return false;
        }

        if (s[i] == '.')
        {
            var rest = s[(i + 1)..];
            if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "nan"u8))
            {
                return true;
            }
        }

        if (!char.IsAsciiDigit((char)s[i]) && !(s[i] == '.' && i + 1 < s.Length && char.IsAsciiDigit((char)s[i + 1])))
        {
            return false;
        }

        foreach (var b in s[i..])
        {
            if (!(char.IsAsciiHexDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)':' or (byte)'-' or (byte)'+'
                or (byte)'x' or (byte)'X' or (byte)'o' or (byte)'O' or (byte)'T' or (byte)'t' or (byte)'Z' or (byte)'z' or (byte)' '))
            {
                return false;
            }
        }

        return true;
    }
}
