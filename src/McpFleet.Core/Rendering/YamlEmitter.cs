using System.Buffers;
using System.Text;
using System.Text.Json;
using McpFleet.Yaml;

namespace McpFleet.Rendering;

/// <summary>
/// Writes JSON (as System.Text.Json produced it) as block-style YAML, UTF-8 in and UTF-8 out, in one forward pass over
/// the bytes: no DOM, no strings, no reflection. Deterministic: the output depends only on the input bytes.
/// </summary>
internal sealed class YamlEmitter
{
    private static readonly byte[][] s_leadingKeys = ["apiVersion"u8.ToArray(), "kind"u8.ToArray(), "metadata"u8.ToArray()];

    private readonly bool _indentSequences;
    private readonly byte[][] _quotedKeys;
    private bool _quoteValue;
    private byte[] _buffer;
    private byte[] _scratch = new byte[256];
    private int _length;
    private (int NameStart, int NameEnd, int ValueStart)[] _topLevel = new (int, int, int)[16];

    /// <summary>Creates an emitter in the manifests' layout (kubectl's), or another writer's.</summary>
    /// <param name="capacity">The initial buffer size.</param>
    /// <param name="indentSequences">Indent a sequence under its key (Helm values files), instead of kubectl's flush layout.</param>
    /// <param name="quotedKeys">Keys whose string value is always double-quoted (a chart's <c>version: "2.0.0"</c>).</param>
    public YamlEmitter(int capacity = 16384, bool indentSequences = false, params byte[][] quotedKeys) =>
        (_buffer, _indentSequences, _quotedKeys) = (new byte[capacity], indentSequences, quotedKeys);

    /// <summary>Gets the YAML written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Gets the number of bytes written so far.</summary>
    public int Length => _length;

    public void Clear() => _length = 0;

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes one document: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c> first, then the rest in JSON order.</summary>
    public void WriteDocument(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            WriteValue(ref reader, 0);
            return;
        }

        // One scan records where each top-level property starts, so the leading keys can be written first.
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = (int)reader.BytesConsumed;
            reader.Read();
            if (count == _topLevel.Length)
            {
                Array.Resize(ref _topLevel, count * 2);
            }

            _topLevel[count++] = (nameStart, nameEnd, (int)reader.TokenStartIndex);
            reader.Skip();
        }

        var leading = new bool[count];
        foreach (var key in s_leadingKeys)
        {
            for (var i = 0; i < count; i++)
            {
                if (!leading[i] && NameEquals(json, _topLevel[i], key))
                {
                    leading[i] = true;
                    WriteTopLevel(json, _topLevel[i]);
                    break;
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (!leading[i])
            {
                WriteTopLevel(json, _topLevel[i]);
            }
        }
    }

    private static bool NameEquals(ReadOnlySpan<byte> json, (int NameStart, int NameEnd, int ValueStart) p, ReadOnlySpan<byte> key)
    {
        var reader = new Utf8JsonReader(json[p.NameStart..p.NameEnd]);
        reader.Read();
        return reader.ValueTextEquals(key);
    }

    private void WriteTopLevel(ReadOnlySpan<byte> json, (int NameStart, int NameEnd, int ValueStart) p)
    {
        // A property name alone is a complete JSON string token; the value slice is read only as far as its own end.
        var name = new Utf8JsonReader(json[p.NameStart..p.NameEnd]);
        name.Read();
        WriteKey(ref name);
        var value = new Utf8JsonReader(json[p.ValueStart..]);
        value.Read();
        WriteAfterKey(ref value, 0);
    }

    private void WriteMapping(ref Utf8JsonReader reader, int indent, bool firstInline)
    {
        var first = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!(first && firstInline))
            {
                Indent(indent);
            }

            first = false;
            WriteKey(ref reader);
            reader.Read();
            WriteAfterKey(ref reader, indent);
        }
    }

    private void WriteKey(ref Utf8JsonReader reader)
    {
        _quoteValue = false;
        foreach (var key in _quotedKeys)
        {
            _quoteValue |= reader.ValueTextEquals(key);
        }

        WriteString(Unescaped(ref reader), 0, allowBlock: false);
        WriteByte((byte)':');
    }

    private void WriteAfterKey(ref Utf8JsonReader reader, int indent)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when !IsEmpty(reader):
                WriteByte((byte)'\n');
                WriteMapping(ref reader, indent + 2, firstInline: false);
                break;
            case JsonTokenType.StartArray when !IsEmpty(reader):
                // Sequences under a key are not indented, as kubectl and the document write them (unless asked).
                WriteByte((byte)'\n');
                WriteSequence(ref reader, _indentSequences ? indent + 2 : indent, firstInline: false);
                break;
            default:
                WriteByte((byte)' ');
                WriteValue(ref reader, indent, _quoteValue);
                break;
        }
    }

    private void WriteSequence(ref Utf8JsonReader reader, int indent, bool firstInline)
    {
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!(first && firstInline))
            {
                Indent(indent);
            }

            first = false;
            WriteRaw("- "u8);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when !IsEmpty(reader):
                    WriteMapping(ref reader, indent + 2, firstInline: true);
                    break;
                case JsonTokenType.StartArray when !IsEmpty(reader):
                    WriteSequence(ref reader, indent + 2, firstInline: true);
                    break;
                default:
                    WriteValue(ref reader, indent);
                    break;
            }
        }
    }

    /// <summary>Writes a scalar or an empty collection, then the line end.</summary>
    private void WriteValue(ref Utf8JsonReader reader, int indent, bool quoted = false)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when quoted:
                WriteDoubleQuoted(Unescaped(ref reader));
                break;
            case JsonTokenType.String:
                WriteString(Unescaped(ref reader), indent, allowBlock: true);
                if (_buffer[_length - 1] != '\n')
                {
                    WriteByte((byte)'\n');
                }

                return;
            case JsonTokenType.Number:
                WriteRaw(reader.ValueSpan);
                break;
            case JsonTokenType.True:
                WriteRaw("true"u8);
                break;
            case JsonTokenType.False:
                WriteRaw("false"u8);
                break;
            case JsonTokenType.StartObject:
                reader.Skip();
                WriteRaw("{}"u8);
                break;
            case JsonTokenType.StartArray:
                reader.Skip();
                WriteRaw("[]"u8);
                break;
            default:
                WriteRaw("null"u8);
                break;
        }

        WriteByte((byte)'\n');
    }

    private static bool IsEmpty(Utf8JsonReader reader)
    {
        // The reader is a struct: this copy looks ahead without moving the caller's reader.
        reader.Read();
        return reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray;
    }

    private ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (_scratch.Length < reader.ValueSpan.Length)
        {
            _scratch = new byte[reader.ValueSpan.Length * 2];
        }

        return _scratch.AsSpan(0, reader.CopyString(_scratch));
    }

    private void WriteString(ReadOnlySpan<byte> s, int indent, bool allowBlock)
    {
        switch (YamlScalars.Classify(s))
        {
            case YamlScalarStyle.Plain:
                WriteRaw(s);
                break;
            case YamlScalarStyle.Literal when allowBlock:
                WriteLiteral(s, indent + 2);
                break;
            default:
                WriteDoubleQuoted(s);
                break;
        }
    }

    // A literal block keeps a multi-line value (server-config.json) readable and byte-exact.
    private void WriteLiteral(ReadOnlySpan<byte> s, int indent)
    {
        var trailing = 0;
        while (trailing < s.Length && s[s.Length - 1 - trailing] == '\n')
        {
            trailing++;
        }

        WriteRaw(trailing switch { 0 => "|-\n"u8, 1 => "|\n"u8, _ => "|+\n"u8 });
        var body = s[..^trailing];
        while (true)
        {
            var nl = body.IndexOf((byte)'\n');
            var line = nl < 0 ? body : body[..nl];
            if (line.Length > 0)
            {
                Indent(indent);
                WriteRaw(line);
            }

            WriteByte((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            body = body[(nl + 1)..];
        }

        for (var i = 1; i < trailing; i++)
        {
            WriteByte((byte)'\n');
        }
    }

    private void WriteDoubleQuoted(ReadOnlySpan<byte> s)
    {
        WriteByte((byte)'"');
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            switch (b)
            {
                case (byte)'"': WriteRaw("\\\""u8); break;
                case (byte)'\\': WriteRaw("\\\\"u8); break;
                case (byte)'\n': WriteRaw("\\n"u8); break;
                case (byte)'\r': WriteRaw("\\r"u8); break;
                case (byte)'\t': WriteRaw("\\t"u8); break;
                case < 0x20 or 0x7f:
                    WriteRaw("\\x"u8);
                    WriteByte(Hex(b >> 4));
                    WriteByte(Hex(b & 0xf));
                    break;
                case 0xC2 when i + 1 < s.Length && s[i + 1] == 0x85:
                    WriteRaw("\\N"u8);
                    i++;
                    break;
                case 0xE2 when i + 2 < s.Length && s[i + 1] == 0x80 && s[i + 2] is 0xA8 or 0xA9:
                    WriteRaw(s[i + 2] == 0xA8 ? "\\L"u8 : "\\P"u8);
                    i += 2;
                    break;
                case 0xEF when i + 2 < s.Length && s[i + 1] == 0xBB && s[i + 2] == 0xBF:
                    WriteRaw("\\uFEFF"u8);
                    i += 2;
                    break;
                default:
                    WriteByte(b);
                    break;
            }
        }

        WriteByte((byte)'"');
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private void Indent(int n)
    {
        Ensure(n);
        _buffer.AsSpan(_length, n).Fill((byte)' ');
        _length += n;
    }

    private void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void Ensure(int n)
    {
        if (_length + n > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Written);
}
