using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpFleet.Rendering;

/// <summary>
/// Serializes objects to YAML through reusable buffers: source-generated JSON into one buffer, then
/// <see cref="YamlEmitter"/> into another. One instance per output; not thread-safe.
/// </summary>
internal sealed class ManifestWriter
{
    // Relaxed escaping keeps non-ASCII and '+', '<', '&' as they are, so the emitter rarely has to unescape.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _json = new(16384);
    private readonly Utf8JsonWriter _writer;

    public ManifestWriter(int capacity) => (_writer, Yaml) = (new Utf8JsonWriter(_json, s_options), new YamlEmitter(capacity));

    public YamlEmitter Yaml { get; }

    /// <summary>Appends one document, preceded by <c>---</c> when <paramref name="separator"/> is set.</summary>
    public void Write(object value, bool separator)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        JsonSerializer.Serialize(_writer, value, ManifestJson.TypeInfo(value.GetType()));
        _writer.Flush();
        if (separator)
        {
            Yaml.WriteRaw("---\n"u8);
        }

        Yaml.WriteDocument(_json.WrittenSpan);
    }

    public override string ToString() => Yaml.ToString();
}
