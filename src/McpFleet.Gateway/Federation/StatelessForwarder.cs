using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Configuration;
using McpFleet.Hosting.Forwarding;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// The gateway's fast path for a routed request (<c>tools/call</c>, <c>prompts/get</c>, <c>resources/read</c>,
/// <c>completion/complete</c>) outside a gateway session and before 2026-07-28: instead of the SDK's per-request server
/// and the shared connection's client, the body is read once (<see cref="ForwardableRequest"/>), routed by
/// <see cref="GatewayRouter"/> (the same refusals, errors and metrics as the SDK path), and POSTed with the upstream's
/// own name straight to the upstream, whose answer is streamed back: SSE frames as they come (each POST is its own
/// stream, so the client's id needs no rewrite), a JSON answer as one SSE frame. Only <c>resources/read</c> answers are
/// parsed, to give their URIs the upstream's prefix. An upstream whose shared connection holds a session there, or
/// that refused a call without one (HTTP 400 or 404), gets its calls over the shared connection instead, until it
/// reconnects or the next periodic refresh.
/// </summary>
internal sealed partial class StatelessForwarder(GatewayRouter router, UpstreamHttpClient http, GatewaySettings settings, ILogger<StatelessForwarder> logger)
{
    private const string VersionHeader = "MCP-Protocol-Version";

    /// <summary>Serves the request if it is one for the fast path (then it is answered); else leaves it, body unread, to the SDK.</summary>
    /// <param name="context">The request, after authentication and the rate limit, outside a gateway session.</param>
    /// <param name="caller">The caller.</param>
    /// <returns>Whether it was served.</returns>
    public async Task<bool> TryServeAsync(HttpContext context, Caller caller)
    {
        if (!settings.FastPath)
        {
            return false;
        }

        var request = await ForwardableRequest.TryReadAsync(context, GatewayRouter.IsRouted, context.RequestAborted).ConfigureAwait(false);
        if (request is null)
        {
            return false;
        }

        var reply = new Reply(context.Response, context.RequestAborted);
        try
        {
            await ServeAsync(request, caller, reply).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left: its upstream POST was aborted with it, and nobody reads an answer.
        }

        return true;
    }

    private async Task ServeAsync(ForwardableRequest request, Caller caller, Reply reply)
    {
        if (router.Resolve(request.Method, request.Params, caller, out var refusal) is not { } route)
        {
            reply.WriteLast(request.Error(refusal!.Code, refusal.Message, refusal.Data));
            return;
        }

        if (!route.Upstream.ForwardsDirectly)
        {
            await SendSharedAsync(request, route, caller, reply).ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(reply.Aborted);
        timeout.CancelAfter(route.Upstream.Settings.Timeout);
        try
        {
            if (await ForwardAsync(request, route, caller, reply, timeout.Token).ConfigureAwait(false) is { } error)
            {
                reply.WriteLast(request.Error(error.Code, error.Message, error.Data));
            }
        }
        catch (OperationCanceledException) when (!reply.Aborted.IsCancellationRequested)
        {
            var error = router.TimedOut(route, request.Method, caller);
            reply.WriteLast(request.Error(error.Code, error.Message, error.Data));
        }
    }

    /// <summary>POSTs the request to the upstream and copies its answer.</summary>
    /// <returns>The gateway's error to send, or null when the answer went out (or the request fell back to the shared connection).</returns>
    private async Task<GatewayError?> ForwardAsync(ForwardableRequest request, Route route, Caller caller, Reply reply, CancellationToken cancellationToken)
    {
        var upstream = route.Upstream;
        using var message = new HttpRequestMessage(HttpMethod.Post, upstream.Settings.Url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request.Message, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonNode>())),
        };
        _ = message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        _ = message.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (upstream.Connection.Initialization?.ProtocolVersion is { } version)
        {
            // The version the shared connection negotiated, as its own requests carry it.
            _ = message.Headers.TryAddWithoutValidation(VersionHeader, version);
        }

        HttpResponseMessage response;
        try
        {
            // The invoker answers at the headers, as HttpClient's ResponseHeadersRead does: the body is streamed below.
            response = await http.Invoker.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return router.Unavailable(route, request.Method, caller, $"it could not be reached: {ex.Message}", GatewayRouter.IsConnectionFailure(ex));
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                // A server that keeps sessions refuses a request without one: its calls go over the shared connection
                // until it reconnects or the next periodic refresh.
                if (upstream.StopForwardingDirectly())
                {
                    LogNeedsSession(logger, upstream.Name, (int)response.StatusCode);
                }

                await SendSharedAsync(request, route, caller, reply).ConfigureAwait(false);
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var redirect = response.Headers.Location is { } location ? $" (a redirect to {location}, which the gateway does not follow: make that the upstream's url)" : string.Empty;
                return router.Unavailable(route, request.Method, caller, $"it answered HTTP {(int)response.StatusCode}{redirect}", refusedConnection: false);
            }

            try
            {
                return await CopyAnswerAsync(request, route, caller, reply, response, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException)
            {
                return router.Unavailable(route, request.Method, caller, $"its answer broke off: {ex.Message}", refusedConnection: false);
            }
        }
    }

    private async Task<GatewayError?> CopyAnswerAsync(ForwardableRequest request, Route route, Caller caller, Reply reply, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                using var buffer = new MemoryStream();
                await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return await AnswerAsync(request, route, caller, reply, new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false)
                    ? null
                    : router.Unavailable(route, request.Method, caller, "it answered without a JSON-RPC response", refusedConnection: false);
            }

            await foreach (var item in SseParser.Create(body, static (_, data) => data.ToArray()).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.EventType != "message" || item.Data.Length == 0)
                {
                    continue; // a priming event of a resumable stream, or an event MCP does not define
                }

                if (await AnswerAsync(request, route, caller, reply, item.Data).ConfigureAwait(false))
                {
                    return null;
                }
            }

            return router.Unavailable(route, request.Method, caller, "its event stream ended before the answer", refusedConnection: false);
        }
    }

    /// <summary>Copies one message of the upstream to the client; records the request when it is the answer.</summary>
    /// <returns>Whether it was the answer.</returns>
    private async Task<bool> AnswerAsync(ForwardableRequest request, Route route, Caller caller, Reply reply, ReadOnlyMemory<byte> json)
    {
        if (!IsAnswer(json.Span, out var errorType))
        {
            await reply.WriteAsync(json).ConfigureAwait(false); // progress or a log message for this request
            return false;
        }

        if (route.Kind == ListKind.Resources && JsonNode.Parse(json.Span) is JsonObject { } answer)
        {
            if (answer["result"] is JsonObject result)
            {
                GatewayRouter.NamespaceContents(route, result);
            }

            reply.WriteLast(answer);
        }
        else
        {
            reply.WriteLast(json);
        }

        router.Answered(route, request.Method, caller, errorType);
        return true;
    }

    /// <summary>Sends over the upstream's shared connection (the SDK's client, as the SDK path does), notifications as SSE frames.</summary>
    private async Task SendSharedAsync(ForwardableRequest request, Route route, Caller caller, Reply reply)
    {
        var (answer, error) = await router.SendAsync(
            route,
            request.Method,
            caller,
            token => route.Upstream.Connection.SendRequestAsync(request.Method, request.Params, reply, token),
            reply.Aborted,
            CancellationToken.None).ConfigureAwait(false);
        if (error is not null)
        {
            reply.WriteLast(request.Error(error.Code, error.Message, error.Data));
            return;
        }

        JsonObject message;
        string? errorType = null;
        if (answer is JsonRpcError failed)
        {
            errorType = failed.Error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            message = request.Error(failed.Error.Code, failed.Error.Message);
            message["error"] = JsonSerializer.SerializeToNode(failed.Error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcErrorDetail>());
        }
        else
        {
            var result = (answer as JsonRpcResponse)?.Result;
            if (result is JsonObject o)
            {
                errorType = GatewayRouter.ErrorTypeOf(o);
                GatewayRouter.NamespaceContents(route, o);
            }

            message = request.Result(result);
        }

        reply.WriteLast(message);
        router.Answered(route, request.Method, caller, errorType);
    }

    /// <summary>
    /// Whether a message is a response (<c>result</c> or <c>error</c>, no <c>method</c>), and its metrics error type: the
    /// error's code, or <c>tool_error</c> for a result with <c>isError: true</c>. Reads the top level only, no copy.
    /// </summary>
    private static bool IsAnswer(ReadOnlySpan<byte> json, out string? errorType)
    {
        errorType = null;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var answer = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("method"u8))
            {
                return false;
            }

            var isError = reader.ValueTextEquals("error"u8);
            var isResult = reader.ValueTextEquals("result"u8);
            _ = reader.Read();
            if ((isError || isResult) && reader.TokenType == JsonTokenType.StartObject)
            {
                answer = true;
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    if (isError && reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code))
                    {
                        errorType = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (isResult && reader.ValueTextEquals("isError"u8) && reader.Read() && reader.TokenType == JsonTokenType.True)
                    {
                        errorType = "tool_error";
                    }
                    else
                    {
                        _ = reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return answer;
    }

    [LoggerMessage(710, LogLevel.Information, "Upstream {Upstream} refused a call without a session (HTTP {Status}); its calls go over the shared connection, not the fast path, until it reconnects or the next catalog refresh")]
    private static partial void LogNeedsSession(ILogger logger, string upstream, int status);

    /// <summary>The client's answer stream: SSE, started at the first message; also where the upstream's notifications go on the shared connection.</summary>
    private sealed class Reply(HttpResponse response, CancellationToken aborted) : IUpstreamCaller
    {
        private bool _started;

        public CancellationToken Aborted => aborted;

        public string? SessionId => null;

        /// <summary>Writes a message that is not the answer (progress, a log message) and flushes it: the client wants it now.</summary>
        public ValueTask WriteAsync(ReadOnlyMemory<byte> json)
        {
            if (HasLineBreak(json.Span))
            {
                return WriteAsync(ParseOnOneLine(json.Span));
            }

            Start();
            return SseResponse.WriteMessageAsync(response, json, aborted);
        }

        /// <summary>Writes the answer, the response's last message, unflushed: the response's end sends it (<see cref="SseResponse.WriteLastMessage(HttpResponse, JsonNode)"/>).</summary>
        public void WriteLast(JsonNode message)
        {
            Start();
            SseResponse.WriteLastMessage(response, message);
        }

        /// <inheritdoc cref="WriteLast(JsonNode)"/>
        public void WriteLast(ReadOnlyMemory<byte> json)
        {
            if (HasLineBreak(json.Span))
            {
                WriteLast(ParseOnOneLine(json.Span));
                return;
            }

            Start();
            SseResponse.WriteLastMessage(response, json.Span);
        }

        public bool CanReceive(string method) => false;

        // An upstream may pretty-print (or an SSE event span lines): such JSON is re-written on one line.
        private static bool HasLineBreak(ReadOnlySpan<byte> json) => json.IndexOfAny((byte)'\n', (byte)'\r') >= 0;

        private static JsonNode ParseOnOneLine(ReadOnlySpan<byte> json) => JsonNode.Parse(json) ?? throw new JsonException("the upstream sent null");

        private ValueTask WriteAsync(JsonNode message)
        {
            Start();
            return SseResponse.WriteMessageAsync(response, message, aborted);
        }

        public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
            WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new JsonRpcNotification { Method = notification.Method, Params = notification.Params }, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>())).AsTask();

        public Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the gateway serves clients statelessly and passes on no server-to-client request");

        private void Start()
        {
            if (!_started)
            {
                _started = true;
                SseResponse.Start(response);
            }
        }
    }
}
