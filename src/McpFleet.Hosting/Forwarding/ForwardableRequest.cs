using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpFleet.Hosting.Forwarding;

/// <summary>
/// A <c>POST /mcp</c> holding one JSON-RPC request that a forwarder (mcpfleet-proxy, mcpfleet-gateway) may answer itself,
/// without the SDK's per-request server: on a stateless server the SDK builds a server, its options and its handlers for
/// every POST, which costs a forwarder more than the forwarding. Only requests whose answer the SDK would give as a
/// plain SSE stream qualify; everything else (sessions, 2026-07-28, batches, chunked bodies, odd headers) is left to the
/// SDK, which then answers exactly as without a forwarder.
/// </summary>
public sealed class ForwardableRequest
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";

    /// <summary>The versions before 2026-07-28 that the SDK serves; 2026-07-28 requests carry headers the SDK checks against the body.</summary>
    private static readonly string[] s_sessionEraVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    private ForwardableRequest(JsonObject message, string method, JsonNode id, JsonObject? parameters, string? protocolVersion)
    {
        Message = message;
        Method = method;
        Id = id;
        Params = parameters;
        ProtocolVersion = protocolVersion;
    }

    /// <summary>Gets the whole parsed body.</summary>
    public JsonObject Message { get; }

    /// <summary>Gets the method.</summary>
    public string Method { get; }

    /// <summary>Gets the client's id as sent (a number or a string).</summary>
    public JsonNode Id { get; }

    /// <summary>Gets the params, or null when the request has none.</summary>
    public JsonObject? Params { get; }

    /// <summary>Gets the <c>MCP-Protocol-Version</c> header, or null when the client sent none.</summary>
    public string? ProtocolVersion { get; }

    /// <summary>
    /// Reads the body when the request is a <c>POST</c> to <see cref="RuntimeContract.McpPath"/> with a
    /// <c>Content-Length</c>, no <c>Mcp-Session-Id</c>, an <c>Accept</c> naming both <c>application/json</c> and
    /// <c>text/event-stream</c>, a JSON <c>Content-Type</c>, <c>MCP-Protocol-Version</c> absent or a version before
    /// 2026-07-28, and a body that is one JSON object with <c>"jsonrpc": "2.0"</c>, a number or string <c>id</c>, a
    /// <c>method</c> for which <paramref name="forwards"/> is true, and <c>params</c> absent or an object.
    /// </summary>
    /// <param name="context">The request, after the runtime contract's checks (Host/Origin, body size, API keys).</param>
    /// <param name="forwards">Whether the forwarder answers this method itself.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The request; or null, with the body left unread for the SDK.</returns>
    public static async ValueTask<ForwardableRequest?> TryReadAsync(HttpContext context, Func<string, bool> forwards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(forwards);
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is not > 0
            || !request.Path.Equals(RuntimeContract.McpPath, StringComparison.OrdinalIgnoreCase)
            || request.Headers.ContainsKey(SessionHeader)
            || !IsJson(request.ContentType) || !AcceptsJsonAndEventStream(request.Headers.Accept)
            || ProtocolVersionOf(request) is not { } version)
        {
            return null;
        }

        // The runtime contract checked Content-Length against the body limit, and Kestrel completes the body after it.
        var reader = request.BodyReader;
        var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        while (!read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var buffer = read.Buffer;
        var parsed = Parse(buffer, forwards, version.Length == 0 ? null : version);
        reader.AdvanceTo(parsed is null ? buffer.Start : buffer.End);
        return parsed;
    }

    /// <summary>The answer <c>{"result": …, "id": …, "jsonrpc": "2.0"}</c> under the client's id.</summary>
    /// <param name="result">The result (taken, not copied: it must have no parent).</param>
    /// <returns>The message.</returns>
    public JsonObject Result(JsonNode? result) => new()
    {
        ["result"] = result,
        ["id"] = Id.DeepClone(),
        ["jsonrpc"] = "2.0",
    };

    /// <summary>The error <c>{"error": {"code", "message", "data"?}, "id": …, "jsonrpc": "2.0"}</c> under the client's id.</summary>
    /// <param name="code">The JSON-RPC code.</param>
    /// <param name="message">The message.</param>
    /// <param name="data">Extra data (taken, not copied), or null.</param>
    /// <returns>The message.</returns>
    public JsonObject Error(int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        return new JsonObject { ["error"] = error, ["id"] = Id.DeepClone(), ["jsonrpc"] = "2.0" };
    }

    /// <returns>The header's version; empty when absent; null when it names 2026-07-28 or later, or anything unknown.</returns>
    private static string? ProtocolVersionOf(HttpRequest request)
    {
        var values = request.Headers[ProtocolVersionHeader];
        if (values.Count == 0)
        {
            return string.Empty;
        }

        return values.Count == 1 && Array.IndexOf(s_sessionEraVersions, values[0]) >= 0 ? values[0] : null;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool AcceptsJsonAndEventStream(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        bool json = false, eventStream = false;
        foreach (var type in types)
        {
            json |= type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
            eventStream |= type.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
        }

        return json && eventStream;
    }

    private static ForwardableRequest? Parse(ReadOnlySequence<byte> body, Func<string, bool> forwards, string? protocolVersion)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (JsonNode.Parse(ref reader) is not JsonObject message || reader.Read())
            {
                return null;
            }

            if (message["jsonrpc"] is not JsonValue jsonrpc || !jsonrpc.TryGetValue<string>(out var v) || v != "2.0"
                || message["id"] is not JsonValue id || id.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String)
                || message["method"] is not JsonValue methodValue || !methodValue.TryGetValue<string>(out var method) || !forwards(method)
                || message.ContainsKey("result") || message.ContainsKey("error"))
            {
                return null;
            }

            var parameters = message["params"];
            if (parameters is not (null or JsonObject))
            {
                return null;
            }

            return new ForwardableRequest(message, method, id, parameters as JsonObject, protocolVersion);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null; // malformed JSON or duplicate keys: the SDK says what is wrong
        }
    }
}
