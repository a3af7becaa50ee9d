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
internal sealed partial class ProxyMessageFilter(
    ProxyUpstream upstream,
    IOptions<ProxyOptions> options,
    ToolCatalog tools,
    ResourceSubscriptions subscriptions,
    ProxyMetrics metrics,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider timeProvider,
    ILogger<ProxyMessageFilter> logger)
{
    private const string ModernProtocol = "2026-07-28";
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";

    /// <summary>A timed-out request's JSON-RPC code: the TypeScript SDK's <c>RequestTimeout</c>, which clients know.</summary>
    private const McpErrorCode RequestTimeout = (McpErrorCode)(-32001);

    private readonly TimeSpan _requestTimeout = options.Value.RequestTimeout;

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

    private bool IsForwarded(JsonRpcRequest request, McpServer server) => request.Method switch
    {
        RequestMethods.Initialize or RequestMethods.ServerDiscover or RequestMethods.Ping or RequestMethods.SubscriptionsListen => false,
        RequestMethods.LoggingSetLevel => !IsModern(request, server) && upstream.Current.Initialization?.Capabilities?.Logging is not null,
        _ => true,
    };

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

        var tool = request.Method == RequestMethods.ToolsCall ? ToolName(parameters) : null;
        var start = timeProvider.GetTimestamp();
        // A client that goes away cancels its request too: the SDK's C# client cancels by aborting the POST, and without an
        // event store (McpFleet.Hosting configures none) the answer to an aborted POST could never be delivered anyway.
        var aborted = httpContextAccessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        timeout.CancelAfter(_requestTimeout);
        JsonRpcMessageWithId answer;
        try
        {
            answer = await upstream.Current.SendRequestAsync(request.Method, parameters, new SessionCaller(server, modern), timeout.Token).ConfigureAwait(false);
        }
        catch (UpstreamUnavailableException ex)
        {
            Record(tool, "upstream_unavailable", start);
            throw new McpProtocolException($"mcpfleet-proxy: {ex.Message}", McpErrorCode.InternalError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            Record(tool, "timeout", start);
            LogTimedOut(logger, request.Method, _requestTimeout.TotalSeconds);
            throw new McpProtocolException(
                $"mcpfleet-proxy: the MCP server did not answer {request.Method} within {_requestTimeout.TotalSeconds:0.###} s; the request was cancelled in the server",
                RequestTimeout);
        }

        JsonRpcMessage reply;
        if (answer is JsonRpcError error)
        {
            Record(tool, error.Error.Code.ToString(CultureInfo.InvariantCulture), start);
            reply = new JsonRpcError { Id = request.Id, Error = error.Error };
        }
        else
        {
            var result = (answer as JsonRpcResponse)?.Result;
            Record(tool, result is JsonObject o && o["isError"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed ? "tool_error" : null, start);
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

    private void Record(string? tool, string? errorType, long start)
    {
        if (tool is not null)
        {
            metrics.ToolCall(tools.Contains(tool) ? tool : ProxyMetrics.Other, errorType, timeProvider.GetElapsedTime(start));
        }
    }

    private static string ToolName(JsonNode? parameters) =>
        parameters?["name"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : string.Empty;

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

    [LoggerMessage(210, LogLevel.Warning, "The MCP server did not answer {Method} within {TimeoutSeconds} s; cancelled it in the server")]
    private static partial void LogTimedOut(ILogger logger, string method, double timeoutSeconds);
}
