using System.Globalization;
using System.Text.Json.Nodes;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Proxy;

/// <summary>
/// The SDK's incoming message filter that makes the SDK's server a proxy: every client request but the protocol's own
/// (<c>initialize</c>, <c>server/discover</c>, <c>ping</c>, <c>subscriptions/listen</c>, which the SDK answers from the
/// server's cached <c>initialize</c> result) goes to the shared server as raw JSON and its answer comes back as raw
/// JSON under the client's id, so no field the SDK's types do not know is lost. Requests of protocol 2026-07-28 lose
/// their per-request <c>_meta</c> on the way to a legacy server and get <c>resultType</c> on the way back.
/// </summary>
internal sealed class ProxyMessageFilter(
    ProxyForwarder forwarder,
    ResourceSubscriptions subscriptions,
    IHttpContextAccessor httpContextAccessor)
{
    private const string ModernProtocol = "2026-07-28";
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";

    /// <summary>The filter; registered in <see cref="McpServerOptions.Filters"/>.</summary>
    /// <param name="next">The SDK's own handling.</param>
    /// <returns>The wrapped handler.</returns>
    public McpMessageHandler Wrap(McpMessageHandler next) => (context, cancellationToken) => context.JsonRpcMessage switch
    {
        JsonRpcRequest request when IsForwarded(request, context.Server) => ForwardAsync(context, request, cancellationToken),

        // The proxy never offers roots to the shared server (each client has its own), so their changes concern nobody.
        JsonRpcNotification { Method: NotificationMethods.RootsListChangedNotification } => Task.CompletedTask,
        _ => next(context, cancellationToken),
    };

    private bool IsForwarded(JsonRpcRequest request, McpServer server) =>
        !ProxyForwarder.IsProtocolOwn(request.Method)
        && (request.Method != RequestMethods.LoggingSetLevel || (!IsModern(request, server) && forwarder.Upstream.Initialization?.Capabilities?.Logging is not null));

    private static bool IsModern(JsonRpcRequest request, McpServer server) =>
        string.CompareOrdinal(request.Context?.ProtocolVersion ?? server.NegotiatedProtocolVersion, ModernProtocol) >= 0;

    private async Task ForwardAsync(MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var modern = IsModern(request, server);
        var parameters = request.Params;
        if (modern)
        {
            StripReservedMeta(parameters);
        }

        if (await SubscriptionHandledHereAsync(server, request).ConfigureAwait(false))
        {
            return;
        }

        var aborted = httpContextAccessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        var answer = await forwarder.ForwardAsync(request.Method, parameters, new SessionCaller(server, modern), aborted, cancellationToken).ConfigureAwait(false);
        JsonRpcMessage reply;
        if (answer is JsonRpcError error)
        {
            reply = new JsonRpcError { Id = request.Id, Error = error.Error };
        }
        else
        {
            var result = (answer as JsonRpcResponse)?.Result;
            if (modern && result is JsonObject modernResult && !modernResult.ContainsKey("resultType"))
            {
                modernResult["resultType"] = "complete";
            }

            reply = new JsonRpcResponse { Id = request.Id, Result = result };
        }

        await server.SendMessageAsync(reply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A second subscriber to a resource, or not the last to leave it, is answered here: the server keeps one subscription.</summary>
    private async Task<bool> SubscriptionHandledHereAsync(McpServer server, JsonRpcRequest request)
    {
        if (request.Method is not (RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe)
            || server.SessionId is not { Length: > 0 } session
            || request.Params?["uri"] is not JsonValue value || !value.TryGetValue<string>(out var uri))
        {
            return false;
        }

        var tellServer = request.Method == RequestMethods.ResourcesSubscribe ? subscriptions.Add(uri, session) : subscriptions.Remove(uri, session);
        if (tellServer)
        {
            return false;
        }

        await server.SendMessageAsync(new JsonRpcResponse { Id = request.Id, Result = new JsonObject() }).ConfigureAwait(false);
        return true;
    }

    private static void StripReservedMeta(JsonNode? parameters)
    {
        if (parameters is not JsonObject p || p["_meta"] is not JsonObject meta)
        {
            return;
        }

        foreach (var key in meta.Select(static m => m.Key).Where(static k => k.StartsWith(ReservedMetaPrefix, StringComparison.Ordinal)).ToList())
        {
            _ = meta.Remove(key);
        }

        if (meta.Count == 0)
        {
            _ = p.Remove("_meta");
        }
    }

}
