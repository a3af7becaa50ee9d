using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace McpFleet.Hosting;

/// <summary>
/// The SDK's Streamable HTTP transport: the session mode and, in stateful modes, the session limits. A new session takes
/// a slot of <see cref="McpFleetSessionLimiter"/> while the SDK sets it up, before its server exists, and gives it back
/// when the SDK closes it (DELETE, idle timeout, shutdown). The two hooks are set after every other configuration and
/// call the server's own <c>ConfigureSessionOptions</c> and <c>RunSessionHandler</c>, if it has any.
/// </summary>
internal sealed class HttpTransportOptionsSetup(IOptions<McpFleetServerOptions> options, McpFleetSessionLimiter limiter) :
    IConfigureOptions<HttpServerTransportOptions>,
    IPostConfigureOptions<HttpServerTransportOptions>
{
    /// <summary>The <see cref="HttpContext.Items"/> key of a session's slot between its setup and its run.</summary>
    internal static readonly object SlotKey = new();

    private const string SessionIdHeader = "Mcp-Session-Id";

    public void Configure(HttpServerTransportOptions transport)
    {
        var o = options.Value;
        var mode = o.SessionMode ?? McpFleetSessionMode.Stateless;
        transport.SessionMode = mode switch
        {
            McpFleetSessionMode.Stateful => HttpServerSessionMode.Stateful,
            McpFleetSessionMode.StatefulForInitializeClients => HttpServerSessionMode.StatefulForInitializeClients,
            _ => HttpServerSessionMode.Stateless,
        };
        if (mode == McpFleetSessionMode.Stateless)
        {
            return;
        }

#pragma warning disable MCP9006 // Stateful is a supported mode here; these are its limits.
        transport.IdleTimeout = o.SessionIdleTimeout;

        // The library refuses a session past MaxSessions; the SDK's own limit, which evicts the oldest idle sessions, is a
        // backstop it never reaches: twice as high, because the SDK still counts a closing session as idle for a moment
        // after the library has given its slot back.
        transport.MaxIdleSessionCount = (int)Math.Min(int.MaxValue, 2L * o.MaxSessions);
#pragma warning restore MCP9006
    }

    public void PostConfigure(string? name, HttpServerTransportOptions transport)
    {
        if (transport.SessionMode == HttpServerSessionMode.Stateless)
        {
            return;
        }

        var configureSession = transport.ConfigureSessionOptions;
        transport.ConfigureSessionOptions = (context, mcp, cancellationToken) =>
        {
            // Also called per request for the stateless half of StatefulForInitializeClients: only a real session has an id.
            if (context.Response.Headers.ContainsKey(SessionIdHeader))
            {
                context.Items[SlotKey] = limiter.Acquire(limiter.CallerOf(context));
            }

            return configureSession?.Invoke(context, mcp, cancellationToken) ?? Task.CompletedTask;
        };

#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the only hook that sees a session's lifetime.
        var runSession = transport.RunSessionHandler;
        transport.RunSessionHandler = (context, server, sessionClosed) =>
        {
            // sessionClosed fires when the SDK disposes the session, whatever ended it.
            if (context.Items.Remove(SlotKey, out var slot))
            {
                sessionClosed.Register(static s => ((IDisposable)s!).Dispose(), slot);
            }

            return runSession?.Invoke(context, server, sessionClosed) ?? server.RunAsync(sessionClosed);
        };
#pragma warning restore MCPEXP002
    }
}
