using System.Globalization;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Observability;
using McpFleet.Upstreams;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Federation;

/// <summary>Where a routed request goes: the upstream, the names on both sides, and its metrics label.</summary>
/// <param name="Upstream">The upstream the name or URI belongs to.</param>
/// <param name="Own">The upstream's own name or URI (already written into the params).</param>
/// <param name="Kind">The list the name belongs to.</param>
/// <param name="Label">The tool or prompt label for metrics, or null.</param>
/// <param name="Start">When the gateway began handling the request (<see cref="TimeProvider.GetTimestamp"/>).</param>
internal sealed record Route(GatewayUpstream Upstream, string Own, ListKind Kind, string? Label, long Start);

/// <summary>An answer the gateway gives itself instead of an upstream's: a JSON-RPC error, and its metrics error type.</summary>
/// <param name="Code">The JSON-RPC code.</param>
/// <param name="Message">The message.</param>
/// <param name="Upstream">The upstream it is about (<c>data.upstream</c>), or null.</param>
/// <param name="ErrorType">The metrics error type.</param>
internal sealed record GatewayError(int Code, string Message, string? Upstream, string ErrorType)
{
    /// <summary>Gets the error's <c>data</c>: <c>{"upstream": …}</c>, or null.</summary>
    public JsonObject? Data => Upstream is null ? null : new JsonObject { ["upstream"] = Upstream };
}

/// <summary>
/// The one home of what every routed request (<c>tools/call</c>, <c>prompts/get</c>, <c>resources/read</c>,
/// <c>completion/complete</c>) goes through, whichever path carries it (the SDK's per-request server and the shared
/// upstream connection: <see cref="GatewayMessageFilter"/>; or the stateless fast path: <see cref="StatelessForwarder"/>):
/// which upstream a name belongs to, the refusals (missing name, unknown, not allowed, upstream down), the failures
/// (unavailable, timed out), their texts, and the metrics and log line of every outcome.
/// </summary>
internal sealed partial class GatewayRouter(Federation federation, GatewayMetrics metrics, TimeProvider timeProvider, ILogger<GatewayRouter> logger)
{
    /// <summary>A timed-out request's JSON-RPC code: the TypeScript SDK's <c>RequestTimeout</c>, which clients know.</summary>
    public const int RequestTimeoutCode = -32001;

    private const int InvalidParams = (int)ModelContextProtocol.McpErrorCode.InvalidParams;
    private const int InternalError = (int)ModelContextProtocol.McpErrorCode.InternalError;

    /// <summary>Gets whether <paramref name="method"/> is one the gateway routes to an upstream by name or URI.</summary>
    /// <param name="method">The method.</param>
    /// <returns>Whether it is routed.</returns>
    public static bool IsRouted(string method) =>
        method is RequestMethods.ToolsCall or RequestMethods.PromptsGet or RequestMethods.ResourcesRead or RequestMethods.CompletionComplete;

    /// <summary>
    /// Finds the upstream of a routed request and writes the upstream's own name or URI into <paramref name="parameters"/>;
    /// or refuses it (the refusal's metrics are recorded here).
    /// </summary>
    /// <param name="method">A method <see cref="IsRouted"/> accepts.</param>
    /// <param name="parameters">The params (changed in place).</param>
    /// <param name="caller">The caller.</param>
    /// <param name="error">The refusal, when there is no route.</param>
    /// <returns>The route, or null.</returns>
    public Route? Resolve(string method, JsonObject? parameters, Caller caller, out GatewayError? error)
    {
        var start = timeProvider.GetTimestamp();
        var kind = method switch
        {
            RequestMethods.ToolsCall => ListKind.Tools,
            RequestMethods.PromptsGet => ListKind.Prompts,
            RequestMethods.ResourcesRead => ListKind.Resources,
            _ => parameters?["ref"]?["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "ref/resource" ? ListKind.ResourceTemplates : ListKind.Prompts,
        };
        var target = method == RequestMethods.CompletionComplete ? parameters?["ref"] as JsonObject : parameters;
        var key = ListKinds.IsUri(kind) ? "uri" : "name";
        var exposed = target?[key] is JsonValue value && value.TryGetValue<string>(out var e) ? e : null;
        var label = method is RequestMethods.ToolsCall or RequestMethods.PromptsGet ? GatewayMetrics.Other : null;
        if (exposed is null || federation.Resolve(kind, exposed) is not var (upstream, own))
        {
            error = Refuse(method, label, GatewayMetrics.Other, caller, InvalidParams, exposed is null ? $"Missing '{key}'" : Unknown(kind, exposed), null, start);
            return null;
        }

        // A tool the caller may not use is neither listed nor callable: refused exactly like one that does not exist.
        if (kind == ListKind.Tools && !caller.Tools.Matches(exposed))
        {
            metrics.Rejected("tool_not_allowed", caller.Label);
            error = Refuse(method, label, upstream.Name, caller, InvalidParams, Unknown(kind, exposed), null, start);
            return null;
        }

        if (!upstream.IsUp)
        {
            metrics.Rejected("upstream_down", caller.Label);
            error = new GatewayError(InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}' is down: {upstream.DownReason}", upstream.Name, "upstream_unavailable");
            metrics.Operation(method, label, upstream.Name, caller.Label, error.ErrorType, timeProvider.GetElapsedTime(start));
            return null;
        }

        if (kind == ListKind.Tools)
        {
            // Only tools the upstream lists and the config exposes can be called.
            if (federation.Current.Find(kind, exposed) is null)
            {
                error = Refuse(method, label, upstream.Name, caller, InvalidParams, Unknown(kind, exposed), null, start);
                return null;
            }

            label = exposed;
        }
        else if (kind == ListKind.Prompts && federation.Current.Find(kind, exposed) is not null)
        {
            label = exposed;
        }

        target![key] = own;
        error = null;
        return new Route(upstream, own, kind, label, start);
    }

    /// <summary>
    /// Sends over a path that throws <see cref="UpstreamUnavailableException"/> (the shared connection, a session) within
    /// the upstream's timeout, and turns its failures into the gateway's errors.
    /// </summary>
    /// <param name="route">The route.</param>
    /// <param name="method">The method.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="send">Sends, with a token that ends at the timeout, the client's leaving, or <paramref name="cancellationToken"/>.</param>
    /// <param name="aborted">Ends when the client left.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The upstream's answer, or the gateway's error (its metrics recorded).</returns>
    public async Task<(JsonRpcMessageWithId? Answer, GatewayError? Error)> SendAsync(
        Route route, string method, Caller caller, Func<CancellationToken, Task<JsonRpcMessageWithId>> send, CancellationToken aborted, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        timeout.CancelAfter(route.Upstream.Settings.Timeout);
        try
        {
            return (await send(timeout.Token).ConfigureAwait(false), null);
        }
        catch (UpstreamUnavailableException ex)
        {
            return (null, Unavailable(route, method, caller, ex.Message, IsConnectionFailure(ex)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return (null, TimedOut(route, method, caller));
        }
    }

    /// <summary>The upstream could not take the request: logged, recorded, and a refused connection restarts it now.</summary>
    /// <param name="route">The route.</param>
    /// <param name="method">The method.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="reason">Why, as a clause.</param>
    /// <param name="refusedConnection">Whether it refused the connection.</param>
    /// <returns>The error for the client.</returns>
    public GatewayError Unavailable(Route route, string method, Caller caller, string reason, bool refusedConnection)
    {
        var upstream = route.Upstream;
        if (refusedConnection)
        {
            // It refuses connections: down now, not after three pings; its tools leave the list and it reconnects by itself.
            upstream.Connection.Restart($"it refused a connection: {reason}");
        }

        LogUnavailable(logger, upstream.Name, method, reason);
        return Failed(route, method, caller, new GatewayError(InternalError, $"mcpfleet-gateway: upstream '{upstream.Name}' is unavailable: {reason}", upstream.Name, "upstream_unavailable"));
    }

    /// <summary>The upstream did not answer within its timeout (the request was cancelled there): logged and recorded.</summary>
    /// <param name="route">The route.</param>
    /// <param name="method">The method.</param>
    /// <param name="caller">The caller.</param>
    /// <returns>The error for the client.</returns>
    public GatewayError TimedOut(Route route, string method, Caller caller)
    {
        var upstream = route.Upstream;
        var seconds = upstream.Settings.Timeout.TotalSeconds;
        LogTimedOut(logger, upstream.Name, method, seconds);
        return Failed(route, method, caller, new GatewayError(
            RequestTimeoutCode,
            $"mcpfleet-gateway: upstream '{upstream.Name}' did not answer {method} within {seconds.ToString("0.###", CultureInfo.InvariantCulture)} s; the request was cancelled there",
            upstream.Name,
            "timeout"));
    }

    /// <summary>Records a failure the gateway answers itself after the route was found.</summary>
    /// <param name="route">The route.</param>
    /// <param name="method">The method.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="error">The error.</param>
    /// <returns><paramref name="error"/>.</returns>
    public GatewayError Failed(Route route, string method, Caller caller, GatewayError error)
    {
        metrics.Operation(method, route.Label, route.Upstream.Name, caller.Label, error.ErrorType, timeProvider.GetElapsedTime(route.Start));
        return error;
    }

    /// <summary>Records an upstream's answer that went to the client, and logs it at Debug.</summary>
    /// <param name="route">The route.</param>
    /// <param name="method">The method.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="errorType">The JSON-RPC code of an error answer, <c>tool_error</c>, or null.</param>
    public void Answered(Route route, string method, Caller caller, string? errorType)
    {
        var elapsed = timeProvider.GetElapsedTime(route.Start);
        metrics.Operation(method, route.Label, route.Upstream.Name, caller.Label, errorType, elapsed);
        LogRouted(logger, method, route.Label ?? string.Empty, route.Upstream.Name, caller.Label, elapsed.TotalMilliseconds);
    }

    /// <summary>The metrics error type of a result: <c>tool_error</c> when it says <c>isError</c>, else null.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The error type.</returns>
    public static string? ErrorTypeOf(JsonObject result) =>
        result["isError"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed ? "tool_error" : null;

    /// <summary>Gives the URIs of a <c>resources/read</c> result the upstream's prefix, as the gateway lists them.</summary>
    /// <param name="route">The route.</param>
    /// <param name="result">The result (changed in place).</param>
    public static void NamespaceContents(Route route, JsonObject result)
    {
        if (route.Kind != ListKind.Resources || result["contents"] is not JsonArray contents)
        {
            return;
        }

        foreach (var item in contents)
        {
            if (item is JsonObject content && content["uri"] is JsonValue uri && uri.TryGetValue<string>(out var own))
            {
                content["uri"] = Naming.Uri(route.Upstream.Settings.Prefix, own);
            }
        }
    }

    /// <summary>Whether an exception says the upstream refused or dropped the connection (no HTTP status).</summary>
    /// <param name="ex">The exception.</param>
    /// <returns>Whether it is a connection failure.</returns>
    public static bool IsConnectionFailure(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: null } or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private GatewayError Refuse(string method, string? label, string upstream, Caller caller, int code, string message, string? about, long start)
    {
        var error = new GatewayError(code, message, about, code.ToString(CultureInfo.InvariantCulture));
        metrics.Operation(method, label, upstream, caller.Label, error.ErrorType, timeProvider.GetElapsedTime(start));
        return error;
    }

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

    [LoggerMessage(700, LogLevel.Debug, "{Method} {Name} routed to {Upstream} for {Caller} in {DurationMs} ms")]
    private static partial void LogRouted(ILogger logger, string method, string name, string upstream, string caller, double durationMs);

    [LoggerMessage(701, LogLevel.Warning, "Upstream {Upstream} is unavailable for {Method}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string upstream, string method, string reason);

    [LoggerMessage(702, LogLevel.Warning, "Upstream {Upstream} did not answer {Method} within {TimeoutSeconds} s; cancelled it there")]
    private static partial void LogTimedOut(ILogger logger, string upstream, string method, double timeoutSeconds);
}
