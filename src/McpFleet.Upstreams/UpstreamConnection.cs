using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>
/// One live connection to an upstream MCP server, shared by every caller. Requests get ids of the connection's own
/// (a counter), so callers that all use <c>id: 1</c> never see each other's answers; progress tokens are rewritten the
/// same way and mapped back. The upstream's server-to-client requests go to the one caller they can belong to, or get
/// a JSON-RPC error at once; its other notifications go to <see cref="IUpstreamListener"/>.
/// </summary>
public sealed partial class UpstreamConnection : IAsyncDisposable
{
    private const string ProgressTokenKey = "progressToken";
    private const string MetaKey = "_meta";

    private readonly ITransport _transport;
    private readonly IUpstreamListener _listener;
    private readonly TimeSpan _serverRequestTimeout;
    private readonly string _program;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _serverRequests = new();
    private long _nextId;
    private long _lastHeard;
    private volatile string _closedReason;

    /// <summary>Initializes a new instance of the <see cref="UpstreamConnection"/> class and starts reading.</summary>
    /// <param name="transport">A connected transport to the upstream.</param>
    /// <param name="listener">Receives notifications that belong to no request.</param>
    /// <param name="options">The upstream's options: how long a caller may take to answer its sampling, elicitation or roots request, and the program the errors name.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock.</param>
    public UpstreamConnection(ITransport transport, IUpstreamListener listener, UpstreamOptions options, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _transport = transport;
        _listener = listener;
        _serverRequestTimeout = options.ServerRequestTimeout;
        _program = options.Program;
        _closedReason = $"the MCP server went away before answering ({options.ComesBack})";
        _logger = logger;
        _timeProvider = timeProvider;
        _lastHeard = timeProvider.GetTimestamp();
        Completion = Task.Run(ReadLoopAsync);
    }

    /// <summary>Gets a task that completes when the connection is gone; every pending call has failed by then.</summary>
    public Task Completion { get; }

    /// <summary>Gets the number of requests waiting for the upstream.</summary>
    public int InFlight => _pending.Count;

    /// <summary>Gets how long ago the upstream last sent anything.</summary>
    public TimeSpan SinceLastHeard => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastHeard));

    /// <summary>Sets what pending and later calls are told when the connection is gone (e.g. the child's exit).</summary>
    /// <param name="reason">A sentence a client can act on.</param>
    public void SetClosedReason(string reason) => _closedReason = reason;

    /// <summary>Sends <c>initialize</c> with <paramref name="protocolVersion"/>, then <c>notifications/initialized</c>.</summary>
    /// <param name="protocolVersion">The version asked for; the upstream may answer with an older one it knows.</param>
    /// <param name="clientInfo">Who the proxy says it is.</param>
    /// <param name="capabilities">What the proxy offers the upstream.</param>
    /// <param name="cancellationToken">Bounds the wait.</param>
    /// <returns>The upstream's result, typed, and as sent (so no field is lost when it is passed on).</returns>
    /// <exception cref="UpstreamUnavailableException">The upstream refused or went away.</exception>
    public async Task<(InitializeResult Result, JsonObject Raw)> InitializeAsync(string protocolVersion, Implementation clientInfo, ClientCapabilities capabilities, CancellationToken cancellationToken)
    {
        var parameters = JsonSerializer.SerializeToNode(
            new InitializeRequestParams { ProtocolVersion = protocolVersion, ClientInfo = clientInfo, Capabilities = capabilities },
            McpJsonUtilities.DefaultOptions.GetTypeInfo<InitializeRequestParams>());
        var answer = await SendRequestAsync(RequestMethods.Initialize, parameters, caller: null, cancellationToken).ConfigureAwait(false);
        if (answer is JsonRpcError error)
        {
            throw new UpstreamUnavailableException($"the MCP server refused initialize: {error.Error.Code} {error.Error.Message}");
        }

        var raw = (answer as JsonRpcResponse)?.Result as JsonObject
            ?? throw new UpstreamUnavailableException("the MCP server answered initialize without a result object");
        InitializeResult? result;
        try
        {
            result = raw.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo<InitializeResult>());
        }
        catch (JsonException ex)
        {
            throw new UpstreamUnavailableException($"the MCP server's initialize result is not valid: {ex.Message}", ex);
        }

        if (result is null || string.IsNullOrEmpty(result.ProtocolVersion))
        {
            throw new UpstreamUnavailableException("the MCP server's initialize result has no protocolVersion");
        }

        await _transport.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.InitializedNotification }, cancellationToken).ConfigureAwait(false);
        return (result, raw);
    }

    /// <summary>Sends <c>ping</c> and waits for any answer.</summary>
    /// <param name="cancellationToken">Bounds the wait.</param>
    /// <returns>A task that completes when the upstream answered.</returns>
    public async Task PingAsync(CancellationToken cancellationToken) =>
        _ = await SendRequestAsync(RequestMethods.Ping, null, caller: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends a request under an id of this connection and returns the upstream's answer, with that id (the caller puts its
    /// own back). A progress token in <c>params._meta</c> is replaced and its notifications reach <paramref name="caller"/>
    /// with the original token, all before this returns. Cancelling sends <c>notifications/cancelled</c> upstream.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The params; changed in place (the progress token).</param>
    /// <param name="caller">Where notifications and server-to-client requests for this call go; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call here and in the upstream.</param>
    /// <returns>The upstream's <see cref="JsonRpcResponse"/> or <see cref="JsonRpcError"/>.</returns>
    /// <exception cref="UpstreamUnavailableException">The connection is gone or went away before the answer.</exception>
    public async Task<JsonRpcMessageWithId> SendRequestAsync(string method, JsonNode? parameters, IUpstreamCaller? caller, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = Interlocked.Increment(ref _nextId);
        JsonNode? progressToken = null;
        if (parameters is JsonObject p && p[MetaKey] is JsonObject meta && meta.TryGetPropertyValue(ProgressTokenKey, out var token) && token is not null)
        {
            progressToken = token;
            meta[ProgressTokenKey] = id; // unique across callers, and the key back to this call
        }

        var call = new PendingCall(id, this, caller, progressToken);
        _pending[id] = call;
        if (Completion.IsCompleted)
        {
            // Closed between the caller's check and now; the read loop's sweep may have run already.
            _ = _pending.TryRemove(id, out _);
            throw new UpstreamUnavailableException(_closedReason);
        }

        using var registration = cancellationToken.UnsafeRegister(static (state, ct) => ((PendingCall)state!).Connection!.Cancel(((PendingCall)state!).Id, ct), call);
        try
        {
            await _transport.SendMessageAsync(new JsonRpcRequest { Id = new RequestId(id), Method = method, Params = parameters }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Over HTTP the request itself is what failed (refused, an HTTP error status): its reason is the one to give.
            _ = _pending.TryRemove(id, out _);
            throw new UpstreamUnavailableException(ex is HttpRequestException ? $"the MCP server could not be reached: {ex.Message}" : _closedReason, ex);
        }

        var answer = await call.Answer.Task.ConfigureAwait(false);
        await call.Sent.ConfigureAwait(false);
        return answer;
    }

    /// <summary>Sends a notification to the upstream (e.g. <c>notifications/roots/list_changed</c>).</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
        _transport.SendMessageAsync(notification, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Pending calls were failed by the sweep or will be by the caller's own timeout.
        }
    }

    private void Cancel(long id, CancellationToken cancellationToken)
    {
        if (_pending.TryRemove(id, out var call))
        {
            var parameters = new JsonObject
            {
                ["requestId"] = id,
                ["reason"] = $"cancelled by {_program}: the client cancelled or the request timed out",
            };
            _ = _transport.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.CancelledNotification, Params = parameters }, CancellationToken.None);
            call.Answer.TrySetCanceled(cancellationToken);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            await foreach (var message in _transport.MessageReader.ReadAllAsync().ConfigureAwait(false))
            {
                Volatile.Write(ref _lastHeard, _timeProvider.GetTimestamp());
                switch (message)
                {
                    case JsonRpcRequest request:
                        _ = HandleServerRequestAsync(request);
                        break;
                    case JsonRpcNotification notification:
                        HandleNotification(notification);
                        break;
                    case JsonRpcMessageWithId answer:
                        if (answer.Id.Id is long id && _pending.TryRemove(id, out var call))
                        {
                            call.Answer.TrySetResult(answer);
                        }
                        else
                        {
                            LogUnmatchedAnswer(_logger, answer.Id.ToString());
                        }

                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReadFailed(_logger, ex.Message);
        }
        finally
        {
            var reason = _closedReason;
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var call))
                {
                    call.Answer.TrySetException(new UpstreamUnavailableException(reason));
                }
            }

            foreach (var cts in _serverRequests.Values)
            {
                await cts.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private void HandleNotification(JsonRpcNotification notification)
    {
        switch (notification.Method)
        {
            case NotificationMethods.ProgressNotification:
                if (notification.Params is JsonObject progress && ReadId(progress[ProgressTokenKey]) is { } callId
                    && _pending.TryGetValue(callId, out var call) && call.ProgressToken is { } original)
                {
                    progress[ProgressTokenKey] = original.DeepClone();
                    call.Enqueue(notification);
                }

                return; // progress of a call that is over, or of a token it never had: nobody to tell

            case NotificationMethods.CancelledNotification:
                if (notification.Params is JsonObject cancelled && cancelled["requestId"] is { } requestId
                    && ToRequestId(requestId) is { } key && _serverRequests.TryRemove(key, out var cts))
                {
                    cts.Cancel();
                }

                return;

            case NotificationMethods.LoggingMessageNotification when SingleCall() is { Caller: not null } only:
                // A log line while exactly one call runs belongs to it, and goes on that call's stream.
                only.Enqueue(notification);
                return;
        }

        _listener.OnNotification(notification);
    }

    private PendingCall? SingleCall()
    {
        if (_pending.Count != 1)
        {
            return null;
        }

        foreach (var call in _pending.Values)
        {
            return call;
        }

        return null;
    }

    private async Task HandleServerRequestAsync(JsonRpcRequest request)
    {
        JsonRpcMessage reply;
        if (request.Method == RequestMethods.Ping)
        {
            reply = new JsonRpcResponse { Id = request.Id, Result = new JsonObject() };
        }
        else
        {
            reply = await RouteServerRequestAsync(request).ConfigureAwait(false);
        }

        try
        {
            await _transport.SendMessageAsync(reply, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The upstream went away meanwhile.
        }
    }

    private async Task<JsonRpcMessage> RouteServerRequestAsync(JsonRpcRequest request)
    {
        List<IUpstreamCaller> candidates = [];
        var sessions = new HashSet<string?>(StringComparer.Ordinal);
        foreach (var call in _pending.Values)
        {
            if (call.Caller is { } caller && caller.CanReceive(request.Method))
            {
                candidates.Add(caller);
                _ = sessions.Add(caller.SessionId);
            }
        }

        if (candidates.Count == 0)
        {
            LogServerRequestRefused(_logger, request.Method, "no waiting client can take it");
            return Error(request.Id, McpErrorCode.MethodNotFound,
                $"{_program}: no client waiting on this server can answer {request.Method} (it needs a client with an MCP session that declared the capability)");
        }

        if (sessions.Count > 1 || sessions.Contains(null))
        {
            LogServerRequestRefused(_logger, request.Method, $"{candidates.Count} clients are waiting");
            return Error(request.Id, McpErrorCode.InternalError,
                $"{_program}: {sessions.Count} client sessions are waiting on this server, so {request.Method} cannot be routed to the one that caused it");
        }

        using var cts = new CancellationTokenSource(_serverRequestTimeout, _timeProvider);
        _serverRequests[request.Id] = cts;
        try
        {
            var response = await candidates[0].SendRequestAsync(new JsonRpcRequest { Method = request.Method, Params = request.Params }, cts.Token).ConfigureAwait(false);
            return new JsonRpcResponse { Id = request.Id, Result = response.Result };
        }
        catch (McpProtocolException ex)
        {
            return Error(request.Id, ex.ErrorCode, ex.Message);
        }
        catch (OperationCanceledException)
        {
            return Error(request.Id, McpErrorCode.InternalError, $"{_program}: the client did not answer {request.Method} within {_serverRequestTimeout.TotalSeconds:0} s, or the request was cancelled");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Error(request.Id, McpErrorCode.InternalError, $"{_program}: {request.Method} could not be sent to the client: {ex.Message}");
        }
        finally
        {
            _ = _serverRequests.TryRemove(request.Id, out _);
        }
    }

    private static JsonRpcError Error(RequestId id, McpErrorCode code, string message) =>
        new() { Id = id, Error = new JsonRpcErrorDetail { Code = (int)code, Message = message } };

    private static long? ReadId(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<long>(out var number) ? number
        : value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) ? number
        : null
        : null;

    private static RequestId? ToRequestId(JsonNode node) => node is JsonValue value
        ? value.TryGetValue<long>(out var number) ? new RequestId(number)
        : value.TryGetValue<string>(out var text) ? new RequestId(text)
        : null
        : null;

    [LoggerMessage(100, LogLevel.Debug, "The MCP server answered request {Id}, which nobody waits for (cancelled or timed out)")]
    private static partial void LogUnmatchedAnswer(ILogger logger, string id);

    [LoggerMessage(101, LogLevel.Warning, "Reading from the MCP server failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(102, LogLevel.Warning, "The MCP server sent {Method}, refused: {Reason}")]
    private static partial void LogServerRequestRefused(ILogger logger, string method, string reason);
}
