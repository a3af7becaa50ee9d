using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>
/// One long-lived upstream MCP server shared by all callers: started by an <see cref="IUpstreamLauncher"/>, initialized
/// once (the result is kept for every client's <c>initialize</c>), pinged when quiet, and restarted with exponential
/// back-off when it exits, refuses to initialize or stops answering. Calls in flight when it goes fail at once with
/// <see cref="UpstreamUnavailableException"/>, never hang.
/// </summary>
public sealed partial class Upstream : IAsyncDisposable
{
    private static readonly string[] s_legacyVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    private readonly IUpstreamLauncher _launcher;
    private readonly UpstreamOptions _options;
    private readonly IUpstreamListener _listener;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource<string> _restartRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile UpstreamState _state;
    private volatile UpstreamConnection? _connection;
    private volatile UpstreamLink? _link;
    private Task? _run;
    private int _restarts;
    private TimeSpan _lastReadyFor;
    private int _stopped;

    /// <summary>Initializes a new instance of the <see cref="Upstream"/> class. Nothing starts before <see cref="Start"/>.</summary>
    /// <param name="launcher">Starts the server.</param>
    /// <param name="options">Timeouts and back-off.</param>
    /// <param name="listener">Receives the server's notifications that belong to no request.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="metrics">Restart and in-flight instruments, or null.</param>
    public Upstream(IUpstreamLauncher launcher, UpstreamOptions options, IUpstreamListener listener, ILoggerFactory loggerFactory, TimeProvider timeProvider, UpstreamMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _launcher = launcher;
        _options = options;
        _listener = listener;
        _logger = loggerFactory.CreateLogger<Upstream>();
        _timeProvider = timeProvider;
        _metrics = metrics;
        _state = new UpstreamState(UpstreamStatus.Starting, $"starting the MCP server ({launcher.Description})", 0);
        metrics?.Observe(this);
    }

    /// <summary>Gets the current state.</summary>
    public UpstreamState State => _state;

    /// <summary>Gets the server's <c>initialize</c> result (typed), or null before the first.</summary>
    public InitializeResult? Initialization { get; private set; }

    /// <summary>Gets the server's <c>initialize</c> result as it sent it, or null before the first.</summary>
    public JsonObject? RawInitialization { get; private set; }

    /// <summary>Gets the number of requests waiting for the server now.</summary>
    public int InFlight => _connection?.InFlight ?? 0;

    /// <summary>Gets a task that completes when the server is ready for the first time.</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>Gets the time stamp (<see cref="TimeProvider.GetTimestamp"/>) at which the server last became ready.</summary>
    public long ReadySince { get; private set; }

    /// <summary>
    /// Occurs after <see cref="State"/> changed its <see cref="UpstreamState.Status"/>, on the thread that changed it:
    /// return at once. A gateway uses it to take a server's tools out of its list the moment it goes.
    /// </summary>
    public event Action<Upstream, UpstreamState>? StateChanged;

    /// <summary>
    /// Ends the current link to the server now, as if it had gone, so supervision restarts it with its back-off; for a
    /// caller that saw the server refuse connections before a ping would notice. Does nothing unless it is ready or unresponsive.
    /// </summary>
    /// <param name="reason">Why, for <see cref="State"/> and the logs.</param>
    public void Restart(string reason) => _restartRequested.TrySetResult(reason);

    /// <summary>Starts the server and the supervision loop.</summary>
    public void Start() => _run ??= Task.Run(() => SuperviseAsync(_stopping.Token));

    /// <summary>Sends a request to the server. See <see cref="UpstreamConnection.SendRequestAsync"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The params (changed in place).</param>
    /// <param name="caller">The caller, or null.</param>
    /// <param name="cancellationToken">Cancels the call here and in the server.</param>
    /// <returns>The server's response or error.</returns>
    /// <exception cref="UpstreamUnavailableException">The server is not there, or went away before answering.</exception>
    public Task<JsonRpcMessageWithId> SendRequestAsync(string method, JsonNode? parameters, IUpstreamCaller? caller, CancellationToken cancellationToken)
    {
        var connection = _connection;
        return connection is null
            ? Task.FromException<JsonRpcMessageWithId>(new UpstreamUnavailableException(Unavailable(_state)))
            : connection.SendRequestAsync(method, parameters, caller, cancellationToken);
    }

    /// <summary>Sends a notification to the server, if it is there.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
        _connection?.SendNotificationAsync(notification, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops supervising and stops the server: stdin closed, SIGTERM, SIGKILL at <see cref="UpstreamOptions.StopTimeout"/>.</summary>
    /// <param name="cancellationToken">Skips to SIGKILL.</param>
    /// <returns>A task.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        SetState(UpstreamStatus.Stopping, $"{_options.Program} is shutting down");
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            try
            {
                await run.WaitAsync(_options.StopTimeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Fall through: kill whatever is left.
            }
        }

        if (_link is { } link)
        {
            await link.StopAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private string Unavailable(UpstreamState state) => state.Status switch
    {
        UpstreamStatus.Stopping => $"{_options.Program} is shutting down",
        _ => $"the MCP server is not ready: {state.Reason}",
    };

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            string reason;
            try
            {
                reason = await RunOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever went wrong, supervision goes on: a dead supervisor would leave readiness stuck forever.
                LogSupervisionFailed(_logger, ex);
                reason = $"{_options.Program} failed to run the MCP server: {ex.Message}";
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            // A server that stayed up long enough starts again from the first delay; one that keeps failing waits longer each time.
            if (_lastReadyFor >= _options.ResetRestartDelayAfter)
            {
                attempt = 0;
            }

            var delay = Backoff(attempt++);
            var restarts = Interlocked.Increment(ref _restarts);
            _metrics?.Restarted();
            SetState(UpstreamStatus.Restarting, $"{reason}; {(_options.Reconnects ? "reconnect" : "restart")} {restarts} in {delay.TotalSeconds:0.#} s");
            LogRestarting(_logger, reason, delay.TotalSeconds, restarts);
            try
            {
                await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.RestartDelay * Math.Pow(2, Math.Min(attempt, 16));
        return delay > _options.MaxRestartDelay ? _options.MaxRestartDelay : delay;
    }

    /// <summary>One life of the server: start, initialize, serve until it goes. Returns why it went.</summary>
    private async Task<string> RunOnceAsync(CancellationToken stopping)
    {
        SetState(UpstreamStatus.Starting, $"starting the MCP server ({_launcher.Description})");
        _lastReadyFor = TimeSpan.Zero;
        UpstreamLink link;
        try
        {
            link = await _launcher.LaunchAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            return $"the MCP server could not be started: {ex.Message}";
        }

        _link = link;
        var connection = new UpstreamConnection(link.Transport, _listener, _options, _logger, _timeProvider);
        string reason;
        try
        {
            reason = await InitializeAndServeAsync(link, connection, stopping).ConfigureAwait(false);
        }
        finally
        {
            // State before connection: a request that finds no connection must find a reason.
            SetState(UpstreamStatus.Restarting, $"the MCP server went away ({_options.ComesBack})");
            _connection = null;
            if (stopping.IsCancellationRequested)
            {
                connection.SetClosedReason($"the MCP server went away before answering ({_options.Program} is shutting down)");
            }

            await link.StopAsync(stopping.IsCancellationRequested ? _options.StopTimeout : TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            _link = null;
        }

        if (link.Diagnostics() is { Length: > 0 } said)
        {
            reason = $"{reason} ({said})";
        }

        return reason;
    }

    private async Task<string> InitializeAndServeAsync(UpstreamLink link, UpstreamConnection connection, CancellationToken stopping)
    {
        SetState(UpstreamStatus.Starting, $"waiting for the MCP server to answer initialize ({_launcher.Description})");
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            timeout.CancelAfter(_options.InitializeTimeout);
            var initialize = connection.InitializeAsync(_options.ProtocolVersion, new Implementation { Name = _options.ClientName, Version = _options.ClientVersion }, ProxyCapabilities(), timeout.Token);
            var first = await Task.WhenAny(initialize, link.Ended).ConfigureAwait(false);
            if (first == link.Ended)
            {
                return $"{await link.Ended.ConfigureAwait(false)} before answering initialize";
            }

            try
            {
                var (result, raw) = await initialize.ConfigureAwait(false);
                if (!s_legacyVersions.Contains(result.ProtocolVersion))
                {
                    LogUnknownVersion(_logger, result.ProtocolVersion, _options.Program, _options.ProtocolVersion);
                }

                Initialization = result;
                RawInitialization = raw;
                LogInitialized(_logger, result.ServerInfo?.Name, result.ServerInfo?.Version, result.ProtocolVersion);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return $"the MCP server did not answer initialize within {_options.InitializeTimeout.TotalSeconds:0} s";
            }
            catch (UpstreamUnavailableException ex)
            {
                // stdout closes a moment before the exit is seen: wait for it, so the reason has the exit code.
                return await EndedWithinAsync(link, TimeSpan.FromSeconds(1)).ConfigureAwait(false) is { } ended ? $"{ended} before answering initialize" : ex.Message;
            }
            catch (OperationCanceledException)
            {
                return "stopped";
            }
        }

        // A restart asked for during an earlier life is spent: this one starts clean.
        if (_restartRequested.Task.IsCompleted)
        {
            _restartRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Ready before the listener hears of it: a listener that reads the server's lists on OnReady (the gateway) checks
        // at the end that the server is still ready, and a fast answer must not find it still "starting".
        _connection = connection;
        ReadySince = _timeProvider.GetTimestamp();
        SetState(UpstreamStatus.Ready, string.Empty);
        _listener.OnReady();
        _firstReady.TrySetResult();
        var reason = await WatchAsync(link, connection, stopping).ConfigureAwait(false);
        _lastReadyFor = _timeProvider.GetElapsedTime(ReadySince);
        return reason;
    }

    /// <summary>Pings the server whenever it has been quiet for a ping interval; returns why it is gone.</summary>
    private async Task<string> WatchAsync(UpstreamLink link, UpstreamConnection connection, CancellationToken stopping)
    {
        var failed = 0;
        using var timer = new PeriodicTimer(_options.PingInterval / 2, _timeProvider);
        var tick = timer.WaitForNextTickAsync(stopping).AsTask();
        var restart = _restartRequested.Task;
        while (true)
        {
            var first = await Task.WhenAny(tick, link.Ended, connection.Completion, restart).ConfigureAwait(false);
            if (first == restart)
            {
                return await restart.ConfigureAwait(false);
            }

            if (first == link.Ended)
            {
                return await link.Ended.ConfigureAwait(false);
            }

            if (first == connection.Completion)
            {
                // stdout closed; the exit (and its code) follows within moments.
                return await EndedWithinAsync(link, TimeSpan.FromSeconds(1)).ConfigureAwait(false) ?? "the MCP server closed its stdout";
            }

            try
            {
                if (!await tick.ConfigureAwait(false))
                {
                    return "stopped";
                }
            }
            catch (OperationCanceledException)
            {
                return "stopped";
            }

            tick = timer.WaitForNextTickAsync(stopping).AsTask();
            if (connection.SinceLastHeard < _options.PingInterval)
            {
                continue; // it answered something recently: alive
            }

            if (await PingAsync(connection, stopping).ConfigureAwait(false))
            {
                failed = 0;
                if (_state.Status == UpstreamStatus.Unresponsive)
                {
                    SetState(UpstreamStatus.Ready, string.Empty);
                }

                continue;
            }

            if (stopping.IsCancellationRequested)
            {
                return "stopped";
            }

            failed++;
            SetState(UpstreamStatus.Unresponsive, $"the MCP server did not answer ping within {_options.PingTimeout.TotalSeconds:0.#} s ({failed} in a row)");
            LogUnresponsive(_logger, _options.PingTimeout.TotalSeconds, failed);
            if (failed >= _options.RestartAfterFailedPings)
            {
                return $"the MCP server stopped answering ({failed} pings unanswered)";
            }
        }
    }

    private async Task<string?> EndedWithinAsync(UpstreamLink link, TimeSpan bound)
    {
        var first = await Task.WhenAny(link.Ended, Task.Delay(bound, _timeProvider, CancellationToken.None)).ConfigureAwait(false);
        return first == link.Ended ? await link.Ended.ConfigureAwait(false) : null;
    }

    private async Task<bool> PingAsync(UpstreamConnection connection, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.PingTimeout);
        try
        {
            await connection.PingAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or UpstreamUnavailableException)
        {
            return false;
        }
    }

    /// <summary>What the proxy offers the server: sampling and elicitation (routed to the caller), not roots (a shared server has no single client's roots).</summary>
    private static ClientCapabilities ProxyCapabilities() => new()
    {
        Sampling = new SamplingCapability(),
        Elicitation = new ElicitationCapability(),
    };

    private void SetState(UpstreamStatus status, string reason)
    {
        if (_state.Status == UpstreamStatus.Stopping && status != UpstreamStatus.Stopping)
        {
            return;
        }

        var previous = _state;
        _state = new UpstreamState(status, reason, Volatile.Read(ref _restarts));
        if (previous.Status != status)
        {
            StateChanged?.Invoke(this, _state);
        }
    }

    [LoggerMessage(110, LogLevel.Information, "MCP server {Name} {Version} initialized with protocol {ProtocolVersion}")]
    private static partial void LogInitialized(ILogger logger, string? name, string? version, string protocolVersion);

    [LoggerMessage(111, LogLevel.Warning, "MCP server gone: {Reason}; restart {Restarts} in {DelaySeconds} s")]
    private static partial void LogRestarting(ILogger logger, string reason, double delaySeconds, int restarts);

    [LoggerMessage(112, LogLevel.Warning, "The MCP server did not answer ping within {TimeoutSeconds} s ({Failed} in a row); readiness is 503")]
    private static partial void LogUnresponsive(ILogger logger, double timeoutSeconds, int failed);

    [LoggerMessage(114, LogLevel.Error, "Running the MCP server failed; restarting it")]
    private static partial void LogSupervisionFailed(ILogger logger, Exception exception);

    [LoggerMessage(113, LogLevel.Warning, "The MCP server answered initialize with protocol version {ProtocolVersion}, which {Program} does not know (asked for {Asked}); going on")]
    private static partial void LogUnknownVersion(ILogger logger, string protocolVersion, string program, string asked);
}
