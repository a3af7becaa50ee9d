using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Federation;
using McpFleet.Upstreams;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Sessions;

/// <summary>The upstream no longer knows the session (it restarted, or the session idled out there).</summary>
/// <param name="message">Why.</param>
internal sealed class UpstreamSessionGoneException(string message) : Exception(message);

/// <summary>
/// Requests inside one caller's session at a stateful upstream, over plain Streamable HTTP: any replica of the gateway
/// can send them, because the upstream's session id travels in the caller's sealed gateway session id. The answer may
/// come as JSON or as an SSE stream; notifications on that stream (progress, log messages) go to the caller.
/// </summary>
/// <param name="http">The upstreams' client.</param>
internal sealed class UpstreamSessionClient(UpstreamHttpClient http)
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string VersionHeader = "MCP-Protocol-Version";
    private long _nextId;

    /// <summary>Opens a session at the upstream: <c>initialize</c>, then <c>notifications/initialized</c>.</summary>
    /// <param name="endpoint">The upstream's MCP endpoint.</param>
    /// <param name="protocolVersion">The version asked for.</param>
    /// <param name="clientInfo">Who the gateway says it is.</param>
    /// <param name="cancellationToken">Bounds the exchange.</param>
    /// <returns>The upstream's session id and protocol version, or null when the upstream keeps no sessions.</returns>
    /// <exception cref="UpstreamUnavailableException">The upstream refused or could not be reached.</exception>
    public async Task<(string SessionId, string ProtocolVersion)?> OpenAsync(Uri endpoint, string protocolVersion, Implementation clientInfo, CancellationToken cancellationToken)
    {
        var parameters = JsonSerializer.SerializeToNode(
            new InitializeRequestParams { ProtocolVersion = protocolVersion, ClientInfo = clientInfo, Capabilities = new ClientCapabilities() },
            McpJsonUtilities.DefaultOptions.GetTypeInfo<InitializeRequestParams>());
        var request = new JsonRpcRequest { Id = new RequestId(Interlocked.Increment(ref _nextId)), Method = RequestMethods.Initialize, Params = parameters };
        using var response = await PostAsync(endpoint, null, null, request, cancellationToken).ConfigureAwait(false);
        var answer = await ReadAnswerAsync(response, request.Id, static (_, _) => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
        if (answer is JsonRpcError error)
        {
            throw new UpstreamUnavailableException($"it refused initialize: {error.Error.Code} {error.Error.Message}");
        }

        if (!response.Headers.TryGetValues(SessionHeader, out var ids) || ids.FirstOrDefault() is not { Length: > 0 } sessionId)
        {
            return null;
        }

        var version = (answer as JsonRpcResponse)?.Result?["protocolVersion"]?.GetValue<string>() ?? protocolVersion;
        using var initialized = await PostAsync(endpoint, sessionId, version, new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, cancellationToken).ConfigureAwait(false);
        return (sessionId, version);
    }

    /// <summary>Sends a request inside a session and returns the answer, with the gateway's id (the caller puts the client's back).</summary>
    /// <param name="endpoint">The upstream's MCP endpoint.</param>
    /// <param name="sessionId">The session id at the upstream.</param>
    /// <param name="protocolVersion">The session's protocol version.</param>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The params.</param>
    /// <param name="caller">Where notifications for the request go.</param>
    /// <param name="cancellationToken">Cancels the request (the upstream sees the connection close).</param>
    /// <returns>The response or error.</returns>
    /// <exception cref="UpstreamSessionGoneException">The upstream answered 404: it does not know the session.</exception>
    /// <exception cref="UpstreamUnavailableException">The upstream could not be reached or answered nonsense.</exception>
    public async Task<JsonRpcMessageWithId> SendAsync(Uri endpoint, string sessionId, string protocolVersion, string method, JsonNode? parameters, IUpstreamCaller caller, CancellationToken cancellationToken)
    {
        var request = new JsonRpcRequest { Id = new RequestId(Interlocked.Increment(ref _nextId)), Method = method, Params = parameters };
        using var response = await PostAsync(endpoint, sessionId, protocolVersion, request, cancellationToken).ConfigureAwait(false);
        return await ReadAnswerAsync(response, request.Id, caller.SendNotificationAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a session at the upstream (best effort).</summary>
    /// <param name="endpoint">The upstream's MCP endpoint.</param>
    /// <param name="sessionId">The session id there.</param>
    /// <param name="protocolVersion">The session's protocol version.</param>
    /// <param name="cancellationToken">Bounds the request.</param>
    /// <returns>A task.</returns>
    public async Task CloseAsync(Uri endpoint, string sessionId, string protocolVersion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        request.Headers.Add(SessionHeader, sessionId);
        request.Headers.Add(VersionHeader, protocolVersion);
        try
        {
            using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Best effort: the upstream's idle timeout ends the session anyway.
        }
    }

    private async Task<HttpResponseMessage> PostAsync(Uri endpoint, string? sessionId, string? protocolVersion, JsonRpcMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add(SessionHeader, sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add(VersionHeader, protocolVersion);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamUnavailableException($"it could not be reached: {ex.Message}", ex);
        }

        if (response.StatusCode == HttpStatusCode.NotFound && sessionId is not null)
        {
            response.Dispose();
            throw new UpstreamSessionGoneException("it no longer knows this session (it restarted, or the session idled out there); start a new MCP session");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new UpstreamUnavailableException($"it answered HTTP {status}");
        }

        return response;
    }

    private static async Task<JsonRpcMessageWithId> ReadAnswerAsync(HttpResponseMessage response, RequestId id, Func<JsonRpcNotification, CancellationToken, Task> notify, CancellationToken cancellationToken)
    {
        var typeInfo = McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>();
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.EventType != "message" || string.IsNullOrEmpty(item.Data))
                {
                    continue;
                }

                switch (JsonSerializer.Deserialize(item.Data, typeInfo))
                {
                    case JsonRpcMessageWithId answer when answer.Id.Equals(id):
                        return answer;
                    case JsonRpcNotification notification:
                        await notify(notification, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            throw new UpstreamUnavailableException("its event stream ended before the answer");
        }

        return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false) as JsonRpcMessageWithId
            ?? throw new UpstreamUnavailableException("it answered without a JSON-RPC response");
    }
}
