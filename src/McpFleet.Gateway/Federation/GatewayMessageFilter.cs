using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Observability;
using McpFleet.Gateway.Sessions;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// The SDK's incoming message filter that makes the SDK's stateless server the gateway. The four lists are answered
/// from the federated catalog (a page at a time, the caller's tool allow-list applied); <c>tools/call</c>,
/// <c>prompts/get</c>, <c>resources/read</c> and <c>completion/complete</c> go to the upstream the name or URI belongs
/// to, as raw JSON, and come back under the client's id. An upstream that is down is refused at once with an error that
/// names it (a gateway session is opened before the SDK sees <c>initialize</c>: <see cref="GatewayRequestMiddleware"/>); <c>subscriptions/listen</c>
/// (2026-07-28) streams the catalog's <c>list_changed</c>. The protocol's own methods stay the SDK's.
/// </summary>
internal sealed partial class GatewayMessageFilter(
    Federation federation,
    GatewaySettings settings,
    GatewaySessions sessions,
    GatewayMetrics metrics,
    IHttpContextAccessor httpContextAccessor,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<GatewayMessageFilter> logger)
{
    private const string ModernProtocol = "2026-07-28";
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private const string AllUpstreams = "_all";

    /// <summary>A timed-out request's JSON-RPC code: the TypeScript SDK's <c>RequestTimeout</c>, which clients know.</summary>
    private const int RequestTimeoutCode = -32001;

    /// <summary>The filter; registered in <see cref="McpServerOptions.Filters"/>.</summary>
    /// <param name="next">The SDK's own handling.</param>
    /// <returns>The wrapped handler.</returns>
    public McpMessageHandler Wrap(McpMessageHandler next) => (context, cancellationToken) => context.JsonRpcMessage is JsonRpcRequest request
        ? GuardAsync(next, context, request, cancellationToken)
        : next(context, cancellationToken);

    /// <summary>
    /// The outgoing filter: the SDK serves statelessly and so leaves <c>listChanged</c> out of the capabilities it
    /// announces, but the gateway does deliver <c>list_changed</c>: on <c>subscriptions/listen</c> (2026-07-28), and on a
    /// gateway session's GET stream when it has a session key. The <c>initialize</c> result (<c>capabilities</c> and
    /// <c>serverInfo</c>) and the <c>server/discover</c> result (<c>capabilities</c> and <c>supportedVersions</c>) say so.
    /// </summary>
    /// <param name="next">The SDK's sending.</param>
    /// <returns>The wrapped handler.</returns>
    public McpMessageHandler WrapOutgoing(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result["capabilities"] is JsonObject capabilities
            && (result.ContainsKey("supportedVersions") || (result.ContainsKey("serverInfo") && sessions.Enabled)))
        {
            foreach (var list in (ReadOnlySpan<string>)["tools", "prompts", "resources"])
            {
                if (capabilities[list] is JsonObject capability)
                {
                    capability["listChanged"] = true;
                }
            }
        }

        return next(context, cancellationToken);
    };

    private async Task GuardAsync(McpMessageHandler next, MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(next, context, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or McpProtocolException or OutOfMemoryException))
        {
            // The SDK answers "An error occurred" and its own Error line is dropped by Hosting: say here what it was.
            LogFailed(logger, request.Method, ex);
            throw;
        }
    }

    private Task HandleAsync(McpMessageHandler next, MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (ListKinds.FromMethod(request.Method) is { } kind)
        {
            return ListAsync(context, request, kind, cancellationToken);
        }

        return request.Method switch
        {
            RequestMethods.ToolsCall => RouteAsync(context, request, ListKind.Tools, "name", cancellationToken),
            RequestMethods.PromptsGet => RouteAsync(context, request, ListKind.Prompts, "name", cancellationToken),
            RequestMethods.ResourcesRead => RouteAsync(context, request, ListKind.Resources, "uri", cancellationToken),
            RequestMethods.CompletionComplete => RouteAsync(context, request, CompletionKind(request.Params), "ref", cancellationToken),
            RequestMethods.SubscriptionsListen when IsModern(request, context.Server) => ListenAsync(context, request, cancellationToken),

            // Log levels are a client's wish for its own session; upstreams are shared, so the gateway keeps theirs.
            RequestMethods.LoggingSetLevel => RespondAsync(context, request, new JsonObject(), cancellationToken),
            _ => next(context, cancellationToken),
        };
    }

    private static bool IsModern(JsonRpcRequest request, McpServer server) =>
        string.CompareOrdinal(request.Context?.ProtocolVersion ?? server.NegotiatedProtocolVersion, ModernProtocol) >= 0;

    private Caller CallerOf() =>
        Caller.Find(httpContextAccessor.HttpContext) ?? throw new McpProtocolException("mcpfleet-gateway: the request has no caller", McpErrorCode.InternalError);

    private async Task ListAsync(MessageContext context, JsonRpcRequest request, ListKind kind, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        var caller = CallerOf();
        var cursor = request.Params?["cursor"] is JsonValue c && c.TryGetValue<string>(out var text) ? text : null;
        var result = federation.Current.Page(kind, cursor, settings.PageSize, caller.Tools, federation.Upstreams);
        if (result is null)
        {
            metrics.Operation(request.Method, null, AllUpstreams, caller.Label, ((int)McpErrorCode.InvalidParams).ToString(CultureInfo.InvariantCulture), timeProvider.GetElapsedTime(start));
            await ErrorAsync(context, request, (int)McpErrorCode.InvalidParams, "Invalid cursor: it is not one this gateway gave out", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (IsModern(request, context.Server))
        {
            result["resultType"] = "complete";
        }

        await RespondAsync(context, request, result, cancellationToken).ConfigureAwait(false);
        metrics.Operation(request.Method, null, AllUpstreams, caller.Label, null, timeProvider.GetElapsedTime(start));
    }

    private async Task RouteAsync(MessageContext context, JsonRpcRequest request, ListKind kind, string property, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        var caller = CallerOf();
        var parameters = request.Params as JsonObject;
        var target = property == "ref" ? parameters?["ref"] as JsonObject : parameters;
        var key = ListKinds.IsUri(kind) ? "uri" : "name";
        var exposed = target?[key] is JsonValue value && value.TryGetValue<string>(out var t) ? t : null;
        var label = request.Method is RequestMethods.ToolsCall or RequestMethods.PromptsGet ? GatewayMetrics.Other : null;
        if (exposed is null || federation.Resolve(kind, exposed) is not var (upstream, own))
        {
            var code = (int)McpErrorCode.InvalidParams;
            metrics.Operation(request.Method, label, GatewayMetrics.Other, caller.Label, code.ToString(CultureInfo.InvariantCulture), timeProvider.GetElapsedTime(start));
            await ErrorAsync(context, request, code, exposed is null ? $"Missing '{key}'" : Unknown(kind, exposed), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A tool the caller may not use is neither listed nor callable: refused exactly like one that does not exist.
        if (kind == ListKind.Tools && !caller.Tools.Matches(exposed))
        {
            metrics.Rejected("tool_not_allowed", caller.Label);
            metrics.Operation(request.Method, label, upstream.Name, caller.Label, ((int)McpErrorCode.InvalidParams).ToString(CultureInfo.InvariantCulture), timeProvider.GetElapsedTime(start));
            await ErrorAsync(context, request, (int)McpErrorCode.InvalidParams, Unknown(kind, exposed), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!upstream.IsUp)
        {
            metrics.Rejected("upstream_down", caller.Label);
            metrics.Operation(request.Method, label, upstream.Name, caller.Label, "upstream_unavailable", timeProvider.GetElapsedTime(start));
            await ErrorAsync(context, request, (int)McpErrorCode.InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}' is down: {upstream.DownReason}", upstream.Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (kind == ListKind.Tools)
        {
            // Only tools the upstream lists and the config exposes can be called.
            if (federation.Current.Find(kind, exposed) is null)
            {
                metrics.Operation(request.Method, label, upstream.Name, caller.Label, ((int)McpErrorCode.InvalidParams).ToString(CultureInfo.InvariantCulture), timeProvider.GetElapsedTime(start));
                await ErrorAsync(context, request, (int)McpErrorCode.InvalidParams, Unknown(kind, exposed), null, cancellationToken).ConfigureAwait(false);
                return;
            }

            label = exposed;
        }
        else if (kind == ListKind.Prompts && federation.Current.Find(kind, exposed) is not null)
        {
            label = exposed;
        }

        target![key] = own;
        var modern = IsModern(request, context.Server);
        if (modern)
        {
            StripReservedMeta(parameters);
        }

        var (answer, errorType) = await SendAsync(context, request, upstream, parameters, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            metrics.Operation(request.Method, label, upstream.Name, caller.Label, errorType, timeProvider.GetElapsedTime(start));
            return; // the error went out already
        }

        JsonRpcMessage reply;
        if (answer is JsonRpcError error)
        {
            errorType = error.Error.Code.ToString(CultureInfo.InvariantCulture);
            reply = new JsonRpcError { Id = request.Id, Error = error.Error };
        }
        else
        {
            var result = (answer as JsonRpcResponse)?.Result;
            if (result is JsonObject o)
            {
                errorType = o["isError"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed ? "tool_error" : null;
                if (kind == ListKind.Resources && o["contents"] is JsonArray contents)
                {
                    NamespaceContents(contents, upstream.Settings.Prefix);
                }

                if (modern && !o.ContainsKey("resultType"))
                {
                    o["resultType"] = "complete";
                }
            }

            reply = new JsonRpcResponse { Id = request.Id, Result = result };
        }

        await context.Server.SendMessageAsync(reply, cancellationToken).ConfigureAwait(false);
        var elapsed = timeProvider.GetElapsedTime(start);
        metrics.Operation(request.Method, label, upstream.Name, caller.Label, errorType, elapsed);
        LogRouted(logger, request.Method, label ?? string.Empty, upstream.Name, caller.Label, elapsed.TotalMilliseconds);
    }

    /// <summary>Sends to the upstream: inside the caller's session there when it has one, else over the shared connection.</summary>
    /// <returns>The answer, or null with the error type when an error was already sent to the client.</returns>
    private async Task<(JsonRpcMessageWithId? Answer, string? ErrorType)> SendAsync(MessageContext context, JsonRpcRequest request, GatewayUpstream upstream, JsonNode? parameters, CancellationToken cancellationToken)
    {
        var timeoutAfter = upstream.Settings.Timeout;

        // A client that goes away cancels its request too (the C# client cancels by aborting its POST).
        var aborted = httpContextAccessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        timeout.CancelAfter(timeoutAfter);
        var caller = new GatewayCaller(context.Server);
        try
        {
            if (GatewaySessions.Of(httpContextAccessor.HttpContext) is { } session && session.Upstreams.TryGetValue(upstream.Name, out var stored))
            {
                var (id, version) = GatewaySessions.Split(stored);
                return (await sessions.Client.SendAsync(upstream.Settings.Url, id, version, request.Method, parameters, caller, timeout.Token).ConfigureAwait(false), null);
            }

            return (await upstream.Connection.SendRequestAsync(request.Method, parameters, caller, timeout.Token).ConfigureAwait(false), null);
        }
        catch (UpstreamUnavailableException ex)
        {
            if (IsConnectionFailure(ex))
            {
                // It refuses connections: down now, not after three pings; its tools leave the list and it reconnects by itself.
                upstream.Connection.Restart($"it refused a connection: {ex.Message}");
            }

            LogUnavailable(logger, upstream.Name, request.Method, ex.Message);
            await ErrorAsync(context, request, (int)McpErrorCode.InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}' is unavailable: {ex.Message}", upstream.Name, cancellationToken).ConfigureAwait(false);
            return (null, "upstream_unavailable");
        }
        catch (UpstreamSessionGoneException ex)
        {
            await ErrorAsync(context, request, (int)McpErrorCode.InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}': {ex.Message}", upstream.Name, cancellationToken).ConfigureAwait(false);
            return (null, "upstream_session_gone");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            LogTimedOut(logger, upstream.Name, request.Method, timeoutAfter.TotalSeconds);
            await ErrorAsync(
                context,
                request,
                RequestTimeoutCode,
                $"mcpfleet-gateway: upstream '{upstream.Name}' did not answer {request.Method} within {timeoutAfter.TotalSeconds:0.###} s; the request was cancelled there",
                upstream.Name,
                cancellationToken).ConfigureAwait(false);
            return (null, "timeout");
        }
    }

    /// <summary>2026-07-28 <c>subscriptions/listen</c>: the acknowledgement, then the catalog's <c>list_changed</c> until the client leaves or the drain begins.</summary>
    private async Task ListenAsync(MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var wanted = request.Params?["notifications"] as JsonObject;
        var tools = Wants(wanted, "toolsListChanged");
        var prompts = Wants(wanted, "promptsListChanged");
        var resources = Wants(wanted, "resourcesListChanged");
        var subscriptionId = JsonSerializer.SerializeToNode(request.Id, McpJsonUtilities.DefaultOptions.GetTypeInfo<RequestId>());
        var granted = new JsonObject();
        if (tools)
        {
            granted["toolsListChanged"] = true;
        }

        if (prompts)
        {
            granted["promptsListChanged"] = true;
        }

        if (resources)
        {
            granted["resourcesListChanged"] = true;
        }

        using var registration = federation.Listen();
        var aborted = httpContextAccessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted, lifetime.ApplicationStopping);
        await context.Server.SendMessageAsync(
            new JsonRpcNotification
            {
                Method = NotificationMethods.SubscriptionsAcknowledgedNotification,
                Params = new JsonObject { ["notifications"] = granted, ["_meta"] = new JsonObject { [MetaKeys.SubscriptionId] = subscriptionId?.DeepClone() } },
            },
            ended.Token).ConfigureAwait(false);
        try
        {
            await foreach (var method in registration.Reader.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                var send = method switch
                {
                    NotificationMethods.ToolListChangedNotification => tools,
                    NotificationMethods.PromptListChangedNotification => prompts,
                    _ => resources,
                };
                if (send)
                {
                    await context.Server.SendMessageAsync(
                        new JsonRpcNotification { Method = method, Params = new JsonObject { ["_meta"] = new JsonObject { [MetaKeys.SubscriptionId] = subscriptionId?.DeepClone() } } },
                        ended.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // Draining: end the subscription cleanly, so the client listens again at a replica that stays.
            await RespondAsync(context, request, new JsonObject { ["resultType"] = "complete" }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client left.
        }
    }

    private static bool Wants(JsonObject? wanted, string name) => wanted?[name] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    private static ListKind CompletionKind(JsonNode? parameters) =>
        parameters?["ref"]?["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "ref/resource" ? ListKind.ResourceTemplates : ListKind.Prompts;

    private static string Unknown(ListKind kind, string exposed)
    {
        var bounded = exposed.Length > 64 ? string.Concat(exposed.AsSpan(0, 64), "…") : exposed;
        return kind switch
        {
            ListKind.Tools => $"Unknown tool: '{bounded}'",
            ListKind.Prompts => $"Unknown prompt: '{bounded}'",
            _ => $"Unknown resource: '{bounded}'",
        };
    }

    private static bool IsConnectionFailure(Exception ex)
    {
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: null } or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private static void NamespaceContents(JsonArray contents, string prefix)
    {
        foreach (var item in contents)
        {
            if (item is JsonObject content && content["uri"] is JsonValue uri && uri.TryGetValue<string>(out var own))
            {
                content["uri"] = Naming.Uri(prefix, own);
            }
        }
    }

    private static void StripReservedMeta(JsonObject? parameters)
    {
        if (parameters?["_meta"] is not JsonObject meta)
        {
            return;
        }

        foreach (var key in meta.Select(static m => m.Key).Where(static k => k.StartsWith(ReservedMetaPrefix, StringComparison.Ordinal)).ToList())
        {
            _ = meta.Remove(key);
        }

        if (meta.Count == 0)
        {
            _ = parameters.Remove("_meta");
        }
    }

    private static Task RespondAsync(MessageContext context, JsonRpcRequest request, JsonNode result, CancellationToken cancellationToken) =>
        context.Server.SendMessageAsync(new JsonRpcResponse { Id = request.Id, Result = result }, cancellationToken);

    private static Task ErrorAsync(MessageContext context, JsonRpcRequest request, int code, string message, string? upstream, CancellationToken cancellationToken) =>
        context.Server.SendMessageAsync(
            new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = code, Message = message, Data = upstream is null ? null : JsonSerializer.SerializeToElement(new JsonObject { ["upstream"] = upstream }, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonNode>()) },
            },
            cancellationToken);

    [LoggerMessage(703, LogLevel.Error, "The gateway failed to handle {Method}")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(700, LogLevel.Debug, "{Method} {Name} routed to {Upstream} for {Caller} in {DurationMs} ms")]
    private static partial void LogRouted(ILogger logger, string method, string name, string upstream, string caller, double durationMs);

    [LoggerMessage(701, LogLevel.Warning, "Upstream {Upstream} is unavailable for {Method}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string upstream, string method, string reason);

    [LoggerMessage(702, LogLevel.Warning, "Upstream {Upstream} did not answer {Method} within {TimeoutSeconds} s; cancelled it there")]
    private static partial void LogTimedOut(ILogger logger, string upstream, string method, double timeoutSeconds);
}
