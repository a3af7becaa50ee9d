using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace McpFleet.Gateway.Sessions;

/// <summary>
/// Tells whether a POST body is an <c>initialize</c> request, without consuming it (the SDK reads it after). The SDK
/// starts its response before it runs the handlers, so a session id must be on the response before the SDK sees the
/// request. Only POSTs that can be an <c>initialize</c> are read (no session id and no protocol-version header yet).
/// </summary>
internal static class InitializePeek
{
    /// <summary>An <c>initialize</c> body is small: anything longer is not read past this.</summary>
    private const int MaxBytes = 64 * 1024;

    /// <summary>Reads the body (up to <see cref="MaxBytes"/>) and returns the protocol version an <c>initialize</c> asks for.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or null when the body is not an <c>initialize</c> request.</returns>
    public static async Task<string?> ProtocolVersionAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (read.IsCompleted || buffer.Length >= MaxBytes)
            {
                var version = read.IsCompleted ? Parse(buffer) : null;
                body.AdvanceTo(buffer.Start);
                return version;
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static string? Parse(ReadOnlySequence<byte> buffer)
    {
        try
        {
            var reader = new Utf8JsonReader(buffer);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || !method.ValueEquals("initialize"))
            {
                return null;
            }

            return root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : "2025-11-25";
        }
        catch (JsonException)
        {
            return null; // the SDK answers malformed JSON itself
        }
    }
}
