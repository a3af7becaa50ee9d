using System.Globalization;
using System.Text;
using System.Text.Json;
using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Federation;
using McpFleet.Gateway.Observability;
using McpFleet.Gateway.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpFleet.Gateway;

/// <summary>
/// In front of the SDK on <c>/mcp</c>, after McpFleet.Hosting's checks (Host/Origin, body size): authenticates the
/// caller (401 with <c>WWW-Authenticate</c>), takes a token from its bucket (429 with <c>Retry-After</c>), opens its
/// sealed session id (404, so the client starts a new session, when it is another key's or another caller's), and serves
/// what the stateless SDK cannot: a session's GET stream of <c>list_changed</c> notifications and its DELETE. A routed
/// call outside a gateway session takes the fast path (<see cref="StatelessForwarder"/>) instead of the SDK. Also
/// serves the OAuth protected-resource metadata and the status endpoint.
/// </summary>
internal sealed partial class GatewayRequestMiddleware(
    RequestDelegate next,
    CallerAuthenticator authenticator,
    CallerRateLimiter rateLimiter,
    GatewaySessions sessions,
    GatewaySettings settings,
    StatusWriter status,
    Federation.Federation federation,
    StatelessForwarder forwarder,
    GatewayMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<GatewayRequestMiddleware> logger)
{
    /// <summary>The path of the OAuth protected-resource metadata (RFC 9728).</summary>
    public const string ResourceMetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>The path of the JSON status endpoint.</summary>
    public const string StatusPath = "/status";

    private const string SessionHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ResourceMetadataPath, StringComparison.OrdinalIgnoreCase))
        {
            await WriteResourceMetadataAsync(context).ConfigureAwait(false);
            return;
        }

        var isMcp = path.StartsWithSegments(RuntimeContract.McpPath, StringComparison.OrdinalIgnoreCase);
        var isStatus = path.Equals(StatusPath, StringComparison.OrdinalIgnoreCase);
        if (!isMcp && !isStatus)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (caller, error) = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (caller is null)
        {
            metrics.Rejected("unauthorized", "unknown");
            LogUnauthorized(logger, error!);
            context.Response.Headers.WWWAuthenticate = settings.Auth?.Jwt is null
                ? "Bearer"
                : $"Bearer resource_metadata=\"{context.Request.Scheme}://{context.Request.Host}{ResourceMetadataPath}\"";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, -32001, $"Unauthorized: {error}").ConfigureAwait(false);
            return;
        }

        caller.AttachTo(context);
        if (isStatus)
        {
            await status.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (rateLimiter.TryAcquire(caller) is { } retryAfter)
        {
            metrics.Rejected("rate_limited", caller.Label);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, -32000, $"Too many requests: caller '{caller.Label}' is over its rate limit; retry after {seconds} s").ConfigureAwait(false);
            return;
        }

        var sessionId = context.Request.Headers[SessionHeader].ToString();
        if (sessionId.Length == 0 && sessions.Enabled && HttpMethods.IsPost(context.Request.Method) && !context.Request.Headers.ContainsKey(ProtocolVersionHeader)
            && await InitializePeek.ProtocolVersionAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false) is { } version
            && await sessions.StartAsync(caller, version, context.RequestAborted).ConfigureAwait(false) is { } started)
        {
            // The SDK serves statelessly, writes no session id of its own, and starts its response before any handler runs.
            context.Response.Headers[SessionHeader] = started;
        }
        else if (sessionId.Length > 0 && sessions.Enabled)
        {
            if (sessions.Open(sessionId, caller) is not { } session)
            {
                metrics.Rejected("session", caller.Label);
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, -32001, "Session not found: it was issued by another gateway key or to another caller, or it expired; start a new session with initialize").ConfigureAwait(false);
                return;
            }

            GatewaySessions.Attach(context, session);

            // The SDK serves statelessly and refuses a session id (400): the session is the gateway's, and opened here.
            _ = context.Request.Headers.Remove(SessionHeader);
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await StreamListChangedAsync(context).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsDelete(context.Request.Method))
            {
                await sessions.CloseAsync(session, context.RequestAborted).ConfigureAwait(false);
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
        }
        else if (sessionId.Length == 0 && await forwarder.TryServeAsync(context, caller).ConfigureAwait(false))
        {
            return; // a stateless call, forwarded without the SDK's per-request server
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>A session's GET: an SSE stream of the federated lists' <c>list_changed</c>, until the client leaves or the drain begins.</summary>
    private async Task StreamListChangedAsync(HttpContext context)
    {
        using var registration = federation.Listen();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.ContentEncoding = "identity";
        await response.Body.FlushAsync(ended.Token).ConfigureAwait(false);
        try
        {
            await foreach (var method in registration.Reader.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                var data = $$"""{"jsonrpc":"2.0","method":"{{method}}"}""";
                await response.WriteAsync($"event: message\ndata: {data}\n\n", ended.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(ended.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left, or the gateway is draining: the stream ends and the client opens another elsewhere.
        }
    }

    private async Task WriteResourceMetadataAsync(HttpContext context)
    {
        if (settings.Auth?.Jwt is not { } jwt)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "max-age=3600";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("resource", jwt.Resource);
            json.WriteStartArray("authorization_servers");
            json.WriteStringValue(jwt.Issuer);
            json.WriteEndArray();
            json.WriteStartArray("bearer_methods_supported");
            json.WriteStringValue("header");
            json.WriteEndArray();
            json.WriteString("resource_name", settings.Name);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a JSON-RPC error body with an HTTP status (for refusals before the SDK).</summary>
    /// <param name="context">The request.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The JSON-RPC code.</param>
    /// <param name="message">The message.</param>
    /// <returns>A task.</returns>
    internal static Task WriteErrorAsync(HttpContext context, int status, int code, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteNull("id");
            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = buffer.ToArray();
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    [LoggerMessage(500, LogLevel.Warning, "Refused a request with 401: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string reason);
}
