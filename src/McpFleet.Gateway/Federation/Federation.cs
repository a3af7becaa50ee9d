using System.Collections.Concurrent;
using System.Threading.Channels;
using McpFleet.Gateway.Configuration;
using McpFleet.Upstreams;
using McpFleet.Upstreams.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// Every fronted server and the federated lists. Each upstream is connected, watched and reconnected on its own (an
/// <see cref="Upstream"/> each), so one that fails only takes its own items out of <see cref="Current"/>; every change
/// of the lists as a client sees them is sent to the listeners (<c>list_changed</c> streams). A periodic check reads
/// every list again, for servers that change without saying so.
/// </summary>
internal sealed partial class Federation : IHostedLifecycleService, IAsyncDisposable
{
    private readonly GatewaySettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _rebuild = new();
    private readonly ConcurrentDictionary<Channel<string>, byte> _listeners = new();
    private readonly GatewayUpstream[] _byPrefixLength;
    private readonly string[] _fingerprints = ["", "", "", ""];
    private readonly CancellationTokenSource _stopping = new();
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;
    private Task? _periodic;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="Federation"/> class. Nothing connects before the host starts.</summary>
    /// <param name="settings">The gateway's settings.</param>
    /// <param name="http">The client that carries every upstream request.</param>
    /// <param name="metrics">The upstream instruments.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    public Federation(GatewaySettings settings, UpstreamHttpClient http, UpstreamMetrics metrics, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<Federation>();
        var version = typeof(Federation).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        List<GatewayUpstream> upstreams = [];
        foreach (var u in settings.Upstreams)
        {
            var upstream = new GatewayUpstream(u, upstreams.Count, settings.CatalogRefresh, timeProvider, loggerFactory.CreateLogger<GatewayUpstream>());
            var options = new UpstreamOptions
            {
                ClientName = $"mcpfleet-gateway ({settings.Name})",
                Program = "mcpfleet-gateway",
                Reconnects = true,
                ClientVersion = version,
                InitializeTimeout = u.Timeout < TimeSpan.FromSeconds(10) ? u.Timeout : TimeSpan.FromSeconds(10),
                PingInterval = settings.PingInterval,
                PingTimeout = settings.PingTimeout,
                RestartAfterFailedPings = 3,
                RestartDelay = TimeSpan.FromMilliseconds(500) < settings.MaxBackoff ? TimeSpan.FromMilliseconds(500) : settings.MaxBackoff,
                MaxRestartDelay = settings.MaxBackoff,
                StopTimeout = TimeSpan.FromSeconds(2),
            };
            var launcher = new SharedLinkLauncher(new HttpLauncher(u.Url, http.Client, loggerFactory));
            upstream.Attach(new Upstream(launcher, options, upstream, loggerFactory, timeProvider, metrics), launcher);
            upstream.Changed += OnChanged;
            upstreams.Add(upstream);
        }

        Upstreams = upstreams;
        _byPrefixLength = [.. upstreams.OrderByDescending(static u => u.Settings.Prefix.Length)];
    }

    /// <summary>Gets every upstream, in config order.</summary>
    public IReadOnlyList<GatewayUpstream> Upstreams { get; }

    /// <summary>Gets the federated lists now.</summary>
    public CatalogSnapshot Current => _current;

    /// <summary>Finds whose an exposed name or URI is, whether or not that upstream is up now (so a call to it can say it is down).</summary>
    /// <param name="kind">The list the name belongs to.</param>
    /// <param name="exposed">The exposed name or URI.</param>
    /// <returns>The upstream and its own name, or null when no upstream's prefix fits.</returns>
    public (GatewayUpstream Upstream, string Own)? Resolve(ListKind kind, string exposed)
    {
        var separator = ListKinds.IsUri(kind) ? Naming.UriSeparator : Naming.NameSeparator;
        foreach (var upstream in _byPrefixLength)
        {
            var prefix = upstream.Settings.Prefix;
            if (prefix.Length > 0 && Naming.Strip(prefix, exposed, separator) is { } own)
            {
                return (upstream, own);
            }
        }

        // Names of upstreams without a prefix: whoever lists it, else the first of them (it may be down).
        if (_current.Find(kind, exposed) is { Upstream.Settings.Prefix.Length: 0 } entry)
        {
            return (entry.Upstream, entry.Item.Own);
        }

        return Upstreams.FirstOrDefault(static u => u.Settings.Prefix.Length == 0) is { } unprefixed ? (unprefixed, exposed) : null;
    }

    /// <summary>Registers for the <c>list_changed</c> notifications of the federated lists.</summary>
    /// <returns>A channel of notification methods; dispose the registration to leave.</returns>
    public ListChangeRegistration Listen()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _listeners[channel] = 0;
        return new ListChangeRegistration(channel.Reader, () => _listeners.TryRemove(channel, out _));
    }

    /// <summary>Gets the number of open <c>list_changed</c> streams.</summary>
    public int ListenerCount => _listeners.Count;

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var upstream in Upstreams)
        {
            // The scope flows into the upstream's supervision, so its log lines say which upstream they are about.
            using (_logger.BeginScope(new KeyValuePair<string, object>[] { new("Upstream", upstream.Name) }))
            {
                upstream.Connection.Start();
            }
        }

        _periodic = Task.Run(() => RefreshPeriodicallyAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After Kestrel finished the requests in flight: close every upstream connection.</summary>
    /// <param name="cancellationToken">Bounds the wait.</param>
    /// <returns>A task.</returns>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Upstreams.Select(u => u.Connection.StopAsync(cancellationToken))).ConfigureAwait(false);
        if (_periodic is not null)
        {
            await _periodic.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var upstream in Upstreams)
        {
            await upstream.Connection.DisposeAsync().ConfigureAwait(false);
            upstream.Dispose();
        }

        _stopping.Dispose();
    }

    private void OnChanged(GatewayUpstream upstream)
    {
        List<string> notifications = [];
        lock (_rebuild)
        {
            var snapshot = CatalogSnapshot.Build(Upstreams);
            _current = snapshot;
            foreach (var kind in ListKinds.All)
            {
                var fingerprint = snapshot.Fingerprint(kind);
                if (fingerprint != _fingerprints[(int)kind])
                {
                    _fingerprints[(int)kind] = fingerprint;
                    var method = ListKinds.ListChanged(kind);
                    if (!notifications.Contains(method))
                    {
                        notifications.Add(method);
                    }
                }
            }
        }

        LogChanged(_logger, upstream.Name, upstream.IsUp, _current.List(ListKind.Tools).Length, notifications.Count);
        foreach (var method in notifications)
        {
            foreach (var listener in _listeners.Keys)
            {
                _ = listener.Writer.TryWrite(method);
            }
        }
    }

    private async Task RefreshPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_settings.CatalogRefresh, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await Task.WhenAll(Upstreams.Select(static u => u.RefreshAllAsync())).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(310, LogLevel.Information, "Upstream {Upstream} changed (up: {Up}); the gateway lists {Tools} tools; {Notifications} list_changed notifications sent")]
    private static partial void LogChanged(ILogger logger, string upstream, bool up, int tools, int notifications);
}

/// <summary>A listener's registration for <c>list_changed</c>.</summary>
/// <param name="reader">The notification methods, as they happen.</param>
/// <param name="leave">Removes the listener.</param>
internal sealed class ListChangeRegistration(ChannelReader<string> reader, Action leave) : IDisposable
{
    /// <summary>Gets the notification methods, as they happen.</summary>
    public ChannelReader<string> Reader => reader;

    /// <inheritdoc />
    public void Dispose() => leave();
}
