using System.Globalization;
using System.Text.Json.Nodes;
using McpFleet.Upstreams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy;

/// <summary>
/// Sends one client request to the server and classifies the outcome: the one place that holds the request timeout,
/// the <c>tools/call</c> metrics and the proxy's own error messages, shared by the SDK's path
/// (<see cref="ProxyMessageFilter"/>) and the stateless fast path (<see cref="ProxyFastPathMiddleware"/>), so a client
/// cannot tell which of the two answered it.
/// </summary>
internal sealed partial class ProxyForwarder(
    ProxyUpstream upstream,
    IOptions<ProxyOptions> options,
    ToolCatalog tools,
    ProxyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ProxyForwarder> logger)
{
    /// <summary>A timed-out request's JSON-RPC code: the TypeScript SDK's <c>RequestTimeout</c>, which clients know.</summary>
    private const McpErrorCode RequestTimeout = (McpErrorCode)(-32001);

    private readonly TimeSpan _requestTimeout = options.Value.RequestTimeout;

    /// <summary>Gets the server.</summary>
    public Upstream Upstream => upstream.Current;

    /// <summary>Gets whether <paramref name="method"/> is the protocol's own, answered by the SDK from the server's cached <c>initialize</c> result.</summary>
    /// <param name="method">The request's method.</param>
    /// <returns>Whether the proxy never forwards it.</returns>
    public static bool IsProtocolOwn(string method) =>
        method is RequestMethods.Initialize or RequestMethods.ServerDiscover or RequestMethods.Ping or RequestMethods.SubscriptionsListen;

    /// <summary>
    /// Sends <paramref name="method"/> to the server and returns its answer (a response or an error, under the server's id).
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The params (changed in place: the progress token).</param>
    /// <param name="caller">Where the server's notifications for the request go.</param>
    /// <param name="aborted">The client went away: the request is cancelled in the server, and nothing is answered.</param>
    /// <param name="cancellationToken">Cancels the request (the SDK's own token).</param>
    /// <returns>The server's <see cref="JsonRpcResponse"/> or <see cref="JsonRpcError"/>.</returns>
    /// <exception cref="McpProtocolException">The server is not there, or did not answer within the request timeout.</exception>
    /// <exception cref="OperationCanceledException">The client went away or <paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<JsonRpcMessageWithId> ForwardAsync(string method, JsonNode? parameters, IUpstreamCaller caller, CancellationToken aborted, CancellationToken cancellationToken)
    {
        var tool = method == RequestMethods.ToolsCall ? ToolName(parameters) : null;
        var start = timeProvider.GetTimestamp();
        // A client that goes away cancels its request too: the SDK's C# client cancels by aborting the POST, and without an
        // event store (McpFleet.Hosting configures none) the answer to an aborted POST could never be delivered anyway.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        timeout.CancelAfter(_requestTimeout);
        JsonRpcMessageWithId answer;
        try
        {
            answer = await upstream.Current.SendRequestAsync(method, parameters, caller, timeout.Token).ConfigureAwait(false);
        }
        catch (UpstreamUnavailableException ex)
        {
            Record(tool, "upstream_unavailable", start);
            throw new McpProtocolException($"mcpfleet-proxy: {ex.Message}", McpErrorCode.InternalError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            Record(tool, "timeout", start);
            LogTimedOut(logger, method, _requestTimeout.TotalSeconds);
            throw new McpProtocolException(
                $"mcpfleet-proxy: the MCP server did not answer {method} within {_requestTimeout.TotalSeconds:0.###} s; the request was cancelled in the server",
                RequestTimeout);
        }

        if (tool is not null)
        {
            var result = (answer as JsonRpcResponse)?.Result;
            Record(tool, answer is JsonRpcError error ? error.Error.Code.ToString(CultureInfo.InvariantCulture)
                : result is JsonObject o && o["isError"] is JsonValue isError && isError.TryGetValue<bool>(out var failed) && failed ? "tool_error" : null, start);
        }

        return answer;
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

    [LoggerMessage(210, LogLevel.Warning, "The MCP server did not answer {Method} within {TimeoutSeconds} s; cancelled it in the server")]
    private static partial void LogTimedOut(ILogger logger, string method, double timeoutSeconds);
}
