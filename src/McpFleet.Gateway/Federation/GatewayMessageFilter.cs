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
    GatewayRouter router,
    IHttpContextAccessor httpContextAccessor,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<GatewayMessageFilter> logger)
{
    private const string ModernProtocol = "2026-07-28";
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private const string AllUpstreams = "_all";

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
            _ when GatewayRouter.IsRouted(request.Method) => RouteAsync(context, request, cancellationToken),
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
            await ErrorAsync(context, request, new GatewayError((int)McpErrorCode.InvalidParams, "Invalid cursor: it is not one this gateway gave out", null, string.Empty), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (IsModern(request, context.Server))
        {
            result["resultType"] = "complete";
        }

        await RespondAsync(context, request, result, cancellationToken).ConfigureAwait(false);
        metrics.Operation(request.Method, null, AllUpstreams, caller.Label, null, timeProvider.GetElapsedTime(start));
    }

    private async Task RouteAsync(MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var caller = CallerOf();
        var parameters = request.Params as JsonObject;
        if (router.Resolve(request.Method, parameters, caller, out var refusal) is not { } route)
        {
            await ErrorAsync(context, request, refusal!, cancellationToken).ConfigureAwait(false);
            return;
        }

        var modern = IsModern(request, context.Server);
        if (modern)
        {
            StripReservedMeta(parameters);
        }

        var (answer, failure) = await SendAsync(context, request, route, caller, parameters, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            await ErrorAsync(context, request, failure!, cancellationToken).ConfigureAwait(false);
            return;
        }

        JsonRpcMessage reply;
        string? errorType = null;
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
                errorType = GatewayRouter.ErrorTypeOf(o);
                GatewayRouter.NamespaceContents(route, o);
                if (modern && !o.ContainsKey("resultType"))
                {
                    o["resultType"] = "complete";
                }
            }

            reply = new JsonRpcResponse { Id = request.Id, Result = result };
        }

        await context.Server.SendMessageAsync(reply, cancellationToken).ConfigureAwait(false);
        router.Answered(route, request.Method, caller, errorType);
    }

    /// <summary>Sends to the upstream: inside the caller's session there when it has one, else over the shared connection.</summary>
    /// <returns>The answer, or the gateway's error.</returns>
    private async Task<(JsonRpcMessageWithId? Answer, GatewayError? Error)> SendAsync(MessageContext context, JsonRpcRequest request, Route route, Caller caller, JsonNode? parameters, CancellationToken cancellationToken)
    {
        // A client that goes away cancels its request too (the C# client cancels by aborting its POST).
        var aborted = httpContextAccessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        var upstreamCaller = new GatewayCaller(context.Server);
        var upstream = route.Upstream;
        if (GatewaySessions.Of(httpContextAccessor.HttpContext) is not { } session || !session.Upstreams.TryGetValue(upstream.Name, out var stored))
        {
            return await router.SendAsync(route, request.Method, caller, token => upstream.Connection.SendRequestAsync(request.Method, parameters, upstreamCaller, token), aborted, cancellationToken).ConfigureAwait(false);
        }

        var (id, version) = GatewaySessions.Split(stored);
        try
        {
            return await router.SendAsync(route, request.Method, caller, token => sessions.Client.SendAsync(upstream.Settings.Url, id, version, request.Method, parameters, upstreamCaller, token), aborted, cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamSessionGoneException ex)
        {
            return (null, router.Failed(route, request.Method, caller, new GatewayError((int)McpErrorCode.InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}': {ex.Message}", upstream.Name, "upstream_session_gone")));
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

    private static Task ErrorAsync(MessageContext context, JsonRpcRequest request, GatewayError error, CancellationToken cancellationToken) =>
        context.Server.SendMessageAsync(
            new JsonRpcError
            {
                Id = request.Id,
                Error = new JsonRpcErrorDetail { Code = error.Code, Message = error.Message, Data = error.Data is { } data ? JsonSerializer.SerializeToElement(data, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonNode>()) : null },
            },
            cancellationToken);

    [LoggerMessage(703, LogLevel.Error, "The gateway failed to handle {Method}")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);
}
