using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Configuration;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Sessions;

/// <summary>
/// The gateway's MCP sessions, kept nowhere but in the ids the clients hold. With a session key, every client that
/// sends <c>initialize</c> gets a sealed id holding a session of its own at each stateful upstream that is up (opened
/// then); any replica with the key routes its later requests there. Without a key the gateway is stateless and issues
/// no ids.
/// </summary>
internal sealed partial class GatewaySessions : IDisposable
{
    private static readonly object s_key = new();

    private readonly SessionCodec? _codec;
    private readonly UpstreamSessionClient _client;
    private readonly Federation.Federation _federation;
    private readonly Implementation _clientInfo;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GatewaySessions"/> class.</summary>
    /// <param name="settings">The gateway's settings.</param>
    /// <param name="client">Requests inside upstream sessions.</param>
    /// <param name="federation">The upstreams.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GatewaySessions(GatewaySettings settings, UpstreamSessionClient client, Federation.Federation federation, TimeProvider timeProvider, ILogger<GatewaySessions> logger)
    {
        _codec = settings.SessionKey is { } key ? new SessionCodec(key, settings.SessionLifetime, timeProvider) : null;
        _client = client;
        _federation = federation;
        _logger = logger;
        _clientInfo = new Implementation { Name = $"mcpfleet-gateway ({settings.Name})", Version = typeof(GatewaySessions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };
    }

    /// <summary>Gets a value indicating whether the gateway issues session ids (it has a key).</summary>
    public bool Enabled => _codec is not null;

    /// <summary>Gets the client of upstream sessions.</summary>
    public UpstreamSessionClient Client => _client;

    /// <summary>Gets the session of a request, or null.</summary>
    /// <param name="context">The request, or null.</param>
    /// <returns>The session, or null.</returns>
    public static GatewaySession? Of(HttpContext? context) => context?.Items.TryGetValue(s_key, out var session) == true ? session as GatewaySession : null;

    /// <summary>Sets the session of a request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="session">The session.</param>
    public static void Attach(HttpContext context, GatewaySession session) => context.Items[s_key] = session;

    /// <summary>Opens a session id presented by <paramref name="caller"/>.</summary>
    /// <param name="sessionId">The id.</param>
    /// <param name="caller">The caller.</param>
    /// <returns>The session, or null.</returns>
    public GatewaySession? Open(string sessionId, Caller caller) => _codec?.Open(sessionId, caller.Name);

    /// <summary>
    /// Starts a session for <paramref name="caller"/>: a session at each stateful upstream that answers now, all sealed in
    /// the id. An upstream that cannot open one is left out (its calls then go over the gateway's shared connection): one
    /// that is down or missing its pings is not asked, and one that stops answering while asked is left out as soon as the
    /// gateway's health check sees it, so a sick upstream never holds a client's <c>initialize</c> for its whole timeout.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="protocolVersion">The version the client asked for.</param>
    /// <param name="cancellationToken">Bounds the opening.</param>
    /// <returns>The session id, or null when sessions are off.</returns>
    public async Task<string?> StartAsync(Caller caller, string protocolVersion, CancellationToken cancellationToken)
    {
        if (_codec is null)
        {
            return null;
        }

        var stateful = _federation.Upstreams.Where(static u => u.Settings.Stateful && u.IsUp && u.Connection.State.IsReady).ToList();
        var opened = await Task.WhenAll(stateful.Select(u => OpenAtAsync(u, cancellationToken))).ConfigureAwait(false);
        var upstreams = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < stateful.Count; i++)
        {
            if (opened[i] is { } id)
            {
                upstreams[stateful[i].Name] = id;
            }
        }

        return _codec.Seal(new GatewaySession(caller.Name, _codec.Now(), protocolVersion, upstreams));
    }

    /// <summary>Ends the session's upstream sessions (a client's DELETE).</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Bounds the requests.</param>
    /// <returns>A task.</returns>
    public Task CloseAsync(GatewaySession session, CancellationToken cancellationToken) =>
        Task.WhenAll(session.Upstreams.Select(s => _federation.Upstreams.FirstOrDefault(u => u.Name == s.Key) is { } upstream
            ? _client.CloseAsync(upstream.Settings.Url, Split(s.Value).Id, Split(s.Value).Version, cancellationToken)
            : Task.CompletedTask));

    /// <summary>Splits a stored upstream session into its id and protocol version.</summary>
    /// <param name="stored">The stored value, <c>&lt;version&gt; &lt;id&gt;</c>.</param>
    /// <returns>The id and version.</returns>
    public static (string Id, string Version) Split(string stored)
    {
        var space = stored.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (stored, "2025-11-25") : (stored[(space + 1)..], stored[..space]);
    }

    /// <inheritdoc />
    public void Dispose() => _codec?.Dispose();

    private async Task<string?> OpenAtAsync(Federation.GatewayUpstream upstream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(upstream.Settings.Timeout);
        Action<Upstream, UpstreamState> leaveOutWhenNotReady = (sender, state) =>
        {
            if (!state.IsReady)
            {
                try
                {
                    _ = timeout.CancelAsync(); // not inline: this runs in the upstream's state change
                }
                catch (ObjectDisposedException)
                {
                    // The opening already ended.
                }
            }
        };

        upstream.Connection.StateChanged += leaveOutWhenNotReady;
        try
        {
            if (!upstream.Connection.State.IsReady)
            {
                // It stopped answering before the handler was in place.
                LogOpenFailed(_logger, upstream.Name, upstream.Connection.State.Reason);
                return null;
            }

            var version = upstream.Connection.Initialization?.ProtocolVersion ?? "2025-11-25";
            return await _client.OpenAsync(upstream.Settings.Url, version, _clientInfo, timeout.Token).ConfigureAwait(false) is var (id, negotiated)
                ? $"{negotiated} {id}"
                : null;
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or OperationCanceledException or System.Text.Json.JsonException)
        {
            LogOpenFailed(_logger, upstream.Name, ex is OperationCanceledException && !upstream.Connection.State.IsReady ? upstream.Connection.State.Reason : ex.Message);
            return null;
        }
        finally
        {
            upstream.Connection.StateChanged -= leaveOutWhenNotReady;
        }
    }

    [LoggerMessage(600, LogLevel.Warning, "Could not open a session at stateful upstream {Upstream} (this client's calls to it use the shared connection): {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string upstream, string reason);
}
