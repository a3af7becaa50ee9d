using System.Globalization;
using System.Text;
using System.Text.Json;

namespace McpFleet.Rendering;

/// <summary>Writes a JSON tree as block-style YAML, deterministically and without reflection.</summary>
internal static class YamlEmitter
{
    private static readonly string[] s_leadingKeys = ["apiVersion", "kind", "metadata"];

    /// <summary>Writes a document: the leading keys first, then the rest in their JSON order.</summary>
    public static void WriteDocument(StringBuilder sb, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            WriteValue(sb, root, 0);
            return;
        }

        foreach (var key in s_leadingKeys)
        {
            if (root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                WriteEntry(sb, key, value, 0);
            }
        }

        foreach (var property in root.EnumerateObject())
        {
            if (Array.IndexOf(s_leadingKeys, property.Name) < 0 && property.Value.ValueKind != JsonValueKind.Null)
            {
                WriteEntry(sb, property.Name, property.Value, 0);
            }
        }
    }

    private static void WriteMapping(StringBuilder sb, JsonElement element, int indent, bool firstInline)
    {
        var first = true;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (!(first && firstInline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            WriteKeyAndValue(sb, property.Name, property.Value, indent);
        }
    }

    private static void WriteEntry(StringBuilder sb, string key, JsonElement value, int indent)
    {
        sb.Append(' ', indent);
        WriteKeyAndValue(sb, key, value, indent);
    }

    private static void WriteKeyAndValue(StringBuilder sb, string key, JsonElement value, int indent)
    {
        WriteScalarString(sb, key, indent, allowBlock: false);
        sb.Append(':');
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when HasEntries(value):
                sb.Append('\n');
                WriteMapping(sb, value, indent + 2, firstInline: false);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                // Sequences under a key are not indented, as kubectl and the document write them.
                sb.Append('\n');
                WriteSequence(sb, value, indent, firstInline: false);
                break;
            default:
                sb.Append(' ');
                WriteValue(sb, value, indent);
                break;
        }
    }

    private static void WriteSequence(StringBuilder sb, JsonElement element, int indent, bool firstInline)
    {
        var first = true;
        foreach (var item in element.EnumerateArray())
        {
            if (!(first && firstInline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append("- ");
            switch (item.ValueKind)
            {
                case JsonValueKind.Object when HasEntries(item):
                    WriteMapping(sb, item, indent + 2, firstInline: true);
                    break;
                case JsonValueKind.Array when item.GetArrayLength() > 0:
                    WriteSequence(sb, item, indent + 2, firstInline: true);
                    break;
                default:
                    WriteValue(sb, item, indent);
                    break;
            }
        }
    }

    /// <summary>Writes a scalar or an empty collection, then the line end.</summary>
    private static void WriteValue(StringBuilder sb, JsonElement value, int indent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                WriteScalarString(sb, value.GetString()!, indent, allowBlock: true);
                break;
            case JsonValueKind.Number:
                sb.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Object:
                sb.Append("{}");
                break;
            case JsonValueKind.Array:
                sb.Append("[]");
                break;
            default:
                sb.Append("null");
                break;
        }

        if (value.ValueKind != JsonValueKind.String || sb[^1] != '\n')
        {
            sb.Append('\n');
        }
    }

    private static bool HasEntries(JsonElement obj)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteScalarString(StringBuilder sb, string s, int indent, bool allowBlock)
    {
        switch (YamlScalar.Classify(s))
        {
            case ScalarStyle.Plain:
                sb.Append(s);
                break;
            case ScalarStyle.Literal when allowBlock:
                WriteLiteral(sb, s, indent + 2);
                break;
            default:
                WriteDoubleQuoted(sb, s);
                break;
        }
    }

    // A literal block keeps a multi-line value (server-config.json) readable and byte-exact.
    private static void WriteLiteral(StringBuilder sb, string s, int indent)
    {
        var trailing = 0;
        while (trailing < s.Length && s[s.Length - 1 - trailing] == '\n')
        {
            trailing++;
        }

        sb.Append(trailing switch { 0 => "|-", 1 => "|", _ => "|+" }).Append('\n');
        var body = s.AsSpan(0, s.Length - trailing);
        foreach (var line in body.EnumerateLines())
        {
            if (line.Length > 0)
            {
                sb.Append(' ', indent).Append(line);
            }

            sb.Append('\n');
        }

        for (var i = 1; i < trailing; i++)
        {
            sb.Append('\n');
        }
    }

    private static void WriteDoubleQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\u0085': sb.Append("\\N"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                case '\uFEFF': sb.Append("\\uFEFF"); break;
                case < ' ' or '\u007f':
                    sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }
}

/// <summary>How a string is written.</summary>
internal enum ScalarStyle
{
    /// <summary>As it is.</summary>
    Plain,

    /// <summary>In double quotes, with escapes.</summary>
    DoubleQuoted,

    /// <summary>As a literal block (<c>|</c>).</summary>
    Literal,
}

/// <summary>Decides whether a string can be written plain, so YAML 1.1 and 1.2 readers both read back the same string.</summary>
internal static class YamlScalar
{
    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "=",
    };

    public static ScalarStyle Classify(string s)
    {
        if (s.Length == 0 || s_reserved.Contains(s) || LooksNumeric(s))
        {
            return ScalarStyle.DoubleQuoted;
        }

        var multiline = false;
        foreach (var c in s)
        {
            if (c == '\n')
            {
                multiline = true;
            }
            else if (c is (< ' ' and not '\t') or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
            {
                // A tab is fine in a literal block (and is quoted on one line); anything else needs an escape.
                return ScalarStyle.DoubleQuoted;
            }
        }

        if (multiline)
        {
            return LiteralSafe(s) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
        }

        return PlainSafe(s) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted;
    }

    private static bool PlainSafe(string s)
    {
        var first = s[0];
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(first, StringComparison.Ordinal) || first == ' ' || s[^1] == ' ' || s[^1] == ':')
        {
            return false;
        }

        return !s.Contains('\t', StringComparison.Ordinal)
            && !s.Contains(": ", StringComparison.Ordinal)
            && !s.Contains(" #", StringComparison.Ordinal)
            // Flow indicators are harmless in block context but trip some readers; quote to be safe.
            && s.AsSpan().IndexOfAny(",[]{}") < 0;
    }

    // A literal block detects its indentation from the first non-empty line, which therefore must not start with a space.
    private static bool LiteralSafe(string s)
    {
        foreach (var line in s.AsSpan().EnumerateLines())
        {
            if (line.Length > 0)
            {
                return line[0] != ' ';
            }
        }

        return false;
    }

    // Anything a YAML 1.1 or 1.2 reader could take as a number, a date or a time (1, 0x1F, 1e3, .5, 1_000, 12:30, 2.0.0,
    // 2025-07-10) is quoted. Quantities such as 500m or 1Gi have a letter outside that alphabet and stay plain.
    private static bool LooksNumeric(string s)
    {
        var i = s[0] is '+' or '-' ? 1 : 0;
        if (i >= s.Length)
        {
            return false;
        }

        if (s[i] == '.')
        {
            var rest = s.AsSpan(i + 1);
            if (rest.Equals("inf", StringComparison.OrdinalIgnoreCase) || rest.Equals("nan", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!char.IsAsciiDigit(s[i]) && !(s[i] == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
        {
            return false;
        }

        foreach (var c in s.AsSpan(i))
        {
            if (!(char.IsAsciiHexDigit(c) || c is '.' or '_' or ':' or '-' or '+' or 'x' or 'X' or 'o' or 'O' or 'T' or 't' or 'Z' or 'z' or ' '))
            {
                return false;
            }
        }

        return true;
    }
}
