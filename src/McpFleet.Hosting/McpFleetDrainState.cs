using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>Whether the server is draining after SIGTERM; read on every MCP request, so it is a plain volatile flag.</summary>
internal sealed class McpFleetDrainState : IDisposable
{
    private readonly CancellationTokenSource _streamsClosing = new();
    private volatile bool _draining;

    /// <summary>Gets a value indicating whether SIGTERM arrived: <c>/ready</c> answers 503 and responses ask clients to reconnect.</summary>
    public bool IsDraining => _draining;

    /// <summary>Gets a token that fires when the drain delay is over and long-lived SSE streams must close.</summary>
    public CancellationToken StreamsClosing => _streamsClosing.Token;

    public void BeginDrain() => _draining = true;

    public void CloseStreams() => _streamsClosing.Cancel();

    public void Dispose() => _streamsClosing.Dispose();
}

/// <summary>The readiness check that turns <c>/ready</c> to 503 as soon as the server drains.</summary>
internal sealed class DrainingHealthCheck(McpFleetDrainState state) : IHealthCheck
{
    private static readonly Task<HealthCheckResult> s_ready = Task.FromResult(HealthCheckResult.Healthy());
    private static readonly Task<HealthCheckResult> s_draining = Task.FromResult(HealthCheckResult.Unhealthy("draining after SIGTERM"));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        state.IsDraining ? s_draining : s_ready;
}

/// <summary>
/// The SIGTERM sequence. <see cref="IHostedLifecycleService.StoppingAsync"/> runs before Kestrel's own stop, so the
/// server keeps serving through the drain delay while <c>/ready</c> already answers 503; then SSE streams are told to
/// close and Kestrel finishes in-flight requests within <see cref="McpFleetServerOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed partial class McpFleetDrainService(
    McpFleetDrainState state,
    IHostApplicationLifetime lifetime,
    IOptions<McpFleetServerOptions> options,
    TimeProvider timeProvider,
    ILogger<McpFleetDrainService> logger) : IHostedLifecycleService
{
    private CancellationTokenRegistration _stoppingRegistration;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires on SIGTERM before any service's StoppingAsync: readiness flips at once.
        _stoppingRegistration = lifetime.ApplicationStopping.Register(static s => ((McpFleetDrainState)s!).BeginDrain(), state);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        LogStarted(logger, o.ServerName, o.ServerVersion, o.Port, o.MetricsPort, o.SessionMode);
        if (o.ApiKeyHashes is { Length: > 0 } keys)
        {
            LogApiKeys(logger, keys.Length);
        }
        else
        {
            LogNoApiKeys(logger, RuntimeContract.EnvironmentVariables.ApiKeys);
        }

        if (o.SessionMode is McpFleetSessionMode.Stateful or McpFleetSessionMode.StatefulForInitializeClients)
        {
            LogStatefulNeedsAffinity(logger, o.SessionMode);
            LogSessionLimits(logger, o.MaxSessions, o.MaxSessionsPerCaller, o.SessionIdleTimeout);
            if (o.ApiKeyHashes is not { Length: > 0 })
            {
                LogStatefulWithoutApiKeys(logger, o.SessionMode, RuntimeContract.EnvironmentVariables.ApiKeys);
            }
        }

        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDrain();
        var delay = options.Value.DrainDelay;
        LogDraining(logger, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown bound ran out first; go on stopping.
        }

        LogClosingStreams(logger);
        state.CloseStreams();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stoppingRegistration.Dispose();
        LogStopped(logger);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "MCP server {ServerName} {ServerVersion} ready: MCP and probes on port {Port}, metrics on port {MetricsPort}, session mode {SessionMode}")]
    private static partial void LogStarted(ILogger logger, string? serverName, string? serverVersion, int port, int metricsPort, McpFleetSessionMode? sessionMode);

    [LoggerMessage(6, LogLevel.Information, "API keys: {ApiKeyCount} configured; /mcp requires Authorization: Bearer <key>")]
    private static partial void LogApiKeys(ILogger logger, int apiKeyCount);

    [LoggerMessage(7, LogLevel.Information, "No API keys ({Variable} unset): /mcp accepts callers without a key")]
    private static partial void LogNoApiKeys(ILogger logger, string variable);

    [LoggerMessage(5, LogLevel.Warning, "Session mode {SessionMode} keeps sessions in this process's memory: with more than one replica it needs session affinity")]
    private static partial void LogStatefulNeedsAffinity(ILogger logger, McpFleetSessionMode? sessionMode);

    [LoggerMessage(8, LogLevel.Information, "Sessions: at most {MaxSessions} open, {MaxSessionsPerCaller} per caller, closed after {IdleTimeout} without a request")]
    private static partial void LogSessionLimits(ILogger logger, int maxSessions, int maxSessionsPerCaller, TimeSpan idleTimeout);

    [LoggerMessage(9, LogLevel.Warning, "Session mode {SessionMode} without API keys: the session limit per caller is per remote address, and behind a proxy every caller has the proxy's; set {Variable}")]
    private static partial void LogStatefulWithoutApiKeys(ILogger logger, McpFleetSessionMode? sessionMode, string variable);

    [LoggerMessage(2, LogLevel.Information, "SIGTERM: readiness now 503; serving for a drain delay of {DrainDelaySeconds} s")]
    private static partial void LogDraining(ILogger logger, double drainDelaySeconds);

    [LoggerMessage(3, LogLevel.Information, "Drain delay over: closing SSE streams and finishing in-flight requests")]
    private static partial void LogClosingStreams(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Stopped")]
    private static partial void LogStopped(ILogger logger);
}
