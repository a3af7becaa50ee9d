using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpFleet.Hosting;

/// <summary>
/// Finds a POST body that is a JSON object without <c>method</c>, <c>result</c> or <c>error</c>, which the SDK reads as a
/// response and refuses with "Response must have either result or error". It looks only at bytes already received
/// (<see cref="PipeReader.TryRead"/>, no wait, no copy, nothing consumed), and parses only when the quick search for
/// <c>"method"</c> fails, so a well-formed request costs one vectorised search of its body.
/// </summary>
internal static class JsonRpcBodyPeek
{
    /// <summary>Whether the whole body is in and is a JSON object without <c>method</c>, <c>result</c> or <c>error</c>.</summary>
    /// <param name="request">The request, before anyone read its body.</param>
    /// <returns><see langword="true"/> only when sure; anything else (partial body, invalid JSON) is left to the SDK.</returns>
    public static bool LacksMethod(HttpRequest request)
    {
        var reader = request.BodyReader;
        if (!reader.TryRead(out var read))
        {
            return false;
        }

        var buffer = read.Buffer;
        try
        {
            return read.IsCompleted && !Contains(buffer, "\"method\""u8) && IsObjectWithoutMethod(buffer);
        }
        finally
        {
            reader.AdvanceTo(buffer.Start);
        }
    }

    private static bool Contains(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> value)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan.IndexOf(value) >= 0;
        }

        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, value, advancePastDelimiter: false);
    }

    private static bool IsObjectWithoutMethod(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Escaped names ("\u006dethod") count too: ValueTextEquals unescapes.
                if (reader.ValueTextEquals("method"u8) || reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8))
                {
                    return false;
                }

                reader.Read();
                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false; // not JSON: the SDK says so, with the position
        }
    }
}
