using System.Collections.Frozen;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace McpFleet.Hosting;

/// <summary>
/// The one middleware in front of the MCP endpoint: keeps <c>/metrics</c> on the metrics port only, and for
/// <c>/mcp</c> checks Host and Origin (DNS-rebinding protection), the body size and the optional API key, and during
/// the drain asks clients to reconnect elsewhere. Probes and metrics never see the
/// Host/Origin check, because a kubelet probe or a scraper that gets 4xx crash-loops or blinds the pod.
/// </summary>
internal sealed partial class McpFleetRequestMiddleware
{
    private static readonly byte[] s_forbiddenOrigin = ErrorBody(-32000, "Forbidden: Origin not allowed");
    private static readonly byte[] s_forbiddenHost = ErrorBody(-32000, "Forbidden: Host not allowed");
    private static readonly byte[] s_tooLarge = ErrorBody(-32600, "Request body too large");
    private static readonly byte[] s_unauthorized = ErrorBody(-32001, "Unauthorized: a valid bearer API key is required");
    private static readonly byte[] s_noContentType = ErrorBody(-32000, "Unsupported Media Type: a POST to /mcp needs Content-Type: application/json");
    private static readonly byte[] s_noMethod = ErrorBody(-32600, "Invalid Request: the JSON-RPC message has no 'method' (a request or notification needs one; a response needs 'result' or 'error')");

    private const string SessionIdHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";
    private const string FirstSessionlessProtocol = "2026-07-28";

    private readonly RequestDelegate _next;
    private readonly McpFleetDrainState _drain;
    private readonly McpFleetMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _metricsPort;
    private readonly long _maxBody;
    private readonly bool _anyHost;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _allowedHosts;
    private readonly byte[][] _apiKeyHashes;
    private readonly bool _stateful;
    private readonly byte[] _tooManyCallerSessions;
    private readonly byte[] _tooManySessions;

    public McpFleetRequestMiddleware(
        RequestDelegate next,
        McpFleetDrainState drain,
        McpFleetMetrics metrics,
        IOptions<McpFleetServerOptions> options,
        ILogger<McpFleetRequestMiddleware> logger)
    {
        _next = next;
        _drain = drain;
        _metrics = metrics;
        _logger = logger;
        var o = options.Value;
        _metricsPort = o.MetricsPort;
        _maxBody = o.MaxRequestBodyBytes;
        _anyHost = o.AllowedHosts.Contains("*");
        _allowedHosts = AllowedHostNames(o).ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _apiKeyHashes = o.ApiKeyHashes ?? [];
        _stateful = o.SessionMode is McpFleetSessionMode.Stateful or McpFleetSessionMode.StatefulForInitializeClients;
        _tooManyCallerSessions = ErrorBody(-32000, $"Too many sessions: this caller has {o.MaxSessionsPerCaller} open MCP sessions, the most it may; end one (DELETE /mcp) or let one idle out");
        _tooManySessions = ErrorBody(-32000, $"Server busy: {o.MaxSessions} open MCP sessions, the most this server keeps; try again later");
    }

    /// <summary>The host names accepted in Host and Origin: loopback, the service DNS names and the configured hosts.</summary>
    /// <param name="options">The server options.</param>
    /// <returns>The names, without ports.</returns>
    internal static IEnumerable<string> AllowedHostNames(McpFleetServerOptions options)
    {
        yield return "localhost";
        yield return "127.0.0.1";
        yield return "::1";
        if (options.ServerName is { Length: > 0 } name)
        {
            var service = RuntimeContract.Labels.NamePrefix + name;
            yield return service;
            yield return $"{service}.{options.Namespace}";
            yield return $"{service}.{options.Namespace}.svc";
            yield return $"{service}.{options.Namespace}.svc.cluster.local";
        }

        foreach (var host in options.AllowedHosts)
        {
            yield return host;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var onMetricsPort = context.Connection.LocalPort == _metricsPort;
        if (path.StartsWithSegments(RuntimeContract.McpPath, StringComparison.OrdinalIgnoreCase))
        {
            return onMetricsPort ? NotFound(context) : InvokeMcpAsync(context);
        }

        // The metrics port serves /metrics and nothing else; the MCP port never serves /metrics.
        var isMetrics = path.StartsWithSegments(RuntimeContract.MetricsPath, StringComparison.OrdinalIgnoreCase);
        return isMetrics == onMetricsPort ? _next(context) : NotFound(context);
    }

    private Task InvokeMcpAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_anyHost)
        {
            if (!IsAllowedHost(request.Headers.Host.ToString()))
            {
                return RejectAsync(context, StatusCodes.Status403Forbidden, s_forbiddenHost, "host");
            }

            var origin = request.Headers.Origin;
            if (origin.Count > 0 && !IsAllowedOrigin(origin.ToString()))
            {
                return RejectAsync(context, StatusCodes.Status403Forbidden, s_forbiddenOrigin, "origin");
            }
        }

        var length = request.ContentLength;
        if (length > _maxBody)
        {
            return RejectAsync(context, StatusCodes.Status413PayloadTooLarge, s_tooLarge, "body_too_large");
        }

        if (_apiKeyHashes.Length > 0 && McpFleetApiKeys.Match(_apiKeyHashes, request.Headers.Authorization.ToString()) < 0)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return RejectAsync(context, StatusCodes.Status401Unauthorized, s_unauthorized, "unauthorized");
        }

        if (HttpMethods.IsPost(request.Method))
        {
            // Without a Content-Type the routing's content-type check lets the request through, and ASP.NET Core's JSON
            // reader throws: a 500 and an Error log line instead of the 415 that text/plain gets.
            if (StringValues.IsNullOrEmpty(request.Headers.ContentType))
            {
                return RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, s_noContentType, "content_type");
            }

            if (length is not null && JsonRpcBodyPeek.LacksMethod(request))
            {
                return RejectAsync(context, StatusCodes.Status400BadRequest, s_noMethod, "no_method");
            }
        }

        if (_drain.IsDraining)
        {
            // Existing keep-alive connections bypass the Service's endpoint removal; closing them after this
            // response moves the client to a replica that is still ready.
            context.Response.Headers.Connection = "close";
        }

        if (HttpMethods.IsGet(request.Method))
        {
            // A long-lived SSE stream: end it when the drain delay is over, so shutdown does not wait for its timeout.
            var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _drain.StreamsClosing);
            context.Response.RegisterForDispose(linked);
            context.RequestAborted = linked.Token;
        }

        if (_stateful && IsSessionStart(request))
        {
            return InvokeSessionStartAsync(context);
        }

        // Only a body without Content-Length can outgrow the limit while the SDK reads it; the others were checked above
        // and go straight on, without a state machine per request.
        return length is null ? InvokeChunkedAsync(context) : _next(context);
    }

    /// <summary>
    /// Whether a request may open a stateful session: a POST without <c>Mcp-Session-Id</c> on a protocol older than
    /// 2026-07-28 (which has no sessions). Those go through <see cref="InvokeSessionStartAsync"/>; the others do not.
    /// </summary>
    private static bool IsSessionStart(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && !request.Headers.ContainsKey(SessionIdHeader)
        && string.CompareOrdinal(request.Headers[ProtocolVersionHeader].ToString(), FirstSessionlessProtocol) < 0;

    private async Task InvokeSessionStartAsync(HttpContext context)
    {
        try
        {
            await (context.Request.ContentLength is null ? InvokeChunkedAsync(context) : _next(context)).ConfigureAwait(false);
        }
        catch (McpFleetSessionLimitException ex) when (!context.Response.HasStarted)
        {
            // Thrown by the session setup before the SDK created anything; the session id it had set goes with Clear().
            context.Response.Clear();
            await (ex.PerCaller
                ? RejectAsync(context, StatusCodes.Status429TooManyRequests, _tooManyCallerSessions, "sessions_per_caller")
                : RejectAsync(context, StatusCodes.Status503ServiceUnavailable, _tooManySessions, "sessions")).ConfigureAwait(false);
        }
        finally
        {
            // A slot whose session never ran (its setup failed after the slot was taken) is given back here.
            if (context.Items.Remove(HttpTransportOptionsSetup.SlotKey, out var slot))
            {
                ((IDisposable)slot!).Dispose();
            }
        }
    }

    private async Task InvokeChunkedAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A chunked body that outgrew Kestrel's MaxRequestBodySize while the SDK read it.
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, s_tooLarge, "body_too_large").ConfigureAwait(false);
        }
    }

    private bool IsAllowedHost(string host)
    {
        var name = StripPort(host.AsSpan());

        // An IP literal cannot be rebound: DNS rebinding needs the attacker's name in Host. Pod-IP callers stay allowed.
        return name.Length > 0 && (_allowedHosts.Contains(name) || IPAddress.TryParse(name, out _));
    }

    private bool IsAllowedOrigin(string origin)
    {
        var span = origin.AsSpan();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return false; // "null" and other opaque origins
        }

        return _allowedHosts.Contains(StripPort(span[(scheme + 3)..]));
    }

    /// <summary>The host name without port, brackets and the root's trailing dot (<c>mcp-x.ns.svc.cluster.local.</c> is the same host).</summary>
    private static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> hostAndPort)
    {
        if (hostAndPort.Length > 0 && hostAndPort[0] == '[')
        {
            var close = hostAndPort.IndexOf(']');
            return close > 0 ? hostAndPort[1..close] : [];
        }

        var colon = hostAndPort.LastIndexOf(':');
        var slash = hostAndPort.IndexOf('/');
        var end = colon >= 0 ? colon : slash >= 0 ? slash : hostAndPort.Length;
        var name = hostAndPort[..end];
        return name.Length > 1 && name[^1] == '.' ? name[..^1] : name;
    }

    private Task RejectAsync(HttpContext context, int status, byte[] body, string reason)
    {
        _metrics.Rejected(reason);
        LogRejected(_logger, reason, status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static byte[] ErrorBody(int code, string message) =>
        Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":null,"error":{"code":{{{code}}},"message":"{{{message}}}"}}""");

    [LoggerMessage(10, LogLevel.Warning, "Rejected an MCP request ({Reason}) with HTTP {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string reason, int statusCode);
}
