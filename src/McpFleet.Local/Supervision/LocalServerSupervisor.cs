using System.ComponentModel;
using McpFleet.Local.State;
using McpFleet.Processes;

namespace McpFleet.Local.Supervision;

/// <summary>
/// Runs one server process like a kubelet runs a container: starts it, checks <c>/health</c>, restarts it with
/// exponential backoff when it exits or fails its health check, and stops it with SIGTERM to its process group, then
/// SIGKILL to the group after the grace period. Its status is one immutable <see cref="ServerStatus"/>, swapped under
/// one lock by the supervision loop and the readiness wait alike.
/// </summary>
/// <param name="launch">What to start.</param>
/// <param name="context">What the run's supervisors share.</param>
internal sealed class LocalServerSupervisor(ServerLaunch launch, SupervisorContext context) : IAsyncDisposable
{
    /// <summary>Exits without a ready answer in between after which the start of the fleet fails.</summary>
    public const int CrashLoopExits = 3;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private ServerStatus _status = ServerStatus.Initial;
    private ChildProcess? _process;
    private Task _loop = Task.CompletedTask;

    private string Name => launch.Plan.Name;

    /// <summary>Gets what this supervisor starts.</summary>
    public ServerLaunch Launch => launch;

    /// <summary>Gets the current status.</summary>
    public ServerStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>The server's row in the state file.</summary>
    /// <returns>The row.</returns>
    public LocalServerState Snapshot()
    {
        var status = Status;
        return new(
            launch.Phase.Number, launch.Phase.Name, Name, launch.Plan.Version, string.Join(' ', launch.Plan.Run.Args.Prepend(launch.Plan.Run.Command)),
            status.Pid, launch.Port, launch.MetricsPort, status.Restarts, status.StartedAt, status.Ready, ServerStatus.Describe(status.State));
    }

    /// <summary>Starts the supervision loop.</summary>
    public void Start() => _loop = Task.Run(async () =>
    {
        try
        {
            await SuperviseAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping while a start or a probe was in flight.
        }
    });

    /// <summary>
    /// Waits until the readiness probe answers, polling like a readiness probe. Fails early, as a kubelet's
    /// CrashLoopBackOff would show, when the process ended <see cref="CrashLoopExits"/> times without answering once,
    /// or when the command cannot be started at all.
    /// </summary>
    /// <param name="timeout">The bound.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Null when the server became ready; otherwise why not, after its name (<c>did not answer /ready within 1m (HTTP 404)</c>).</returns>
    public async Task<string?> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(timeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        try
        {
            while (true)
            {
                var status = Status;
                if (status.State == ServerState.Failed)
                {
                    return status.Error;
                }

                if (status.ExitsBeforeReady >= CrashLoopExits)
                {
                    return $"{status.LastExit} {CrashLoopExits switch { 3 => "three", _ => CrashLoopExits.ToString(System.Globalization.CultureInfo.InvariantCulture) }} times";
                }

                if (status.Pid is not null)
                {
                    var probe = await Probe.GetAsync(context.Http, launch.Port, launch.Plan.ReadyPath, context.Time, linked.Token).ConfigureAwait(false);
                    Update(s => probe.Ok ? s with { State = ServerState.Ready, ExitsBeforeReady = 0, LastReadyProbe = probe.Outcome } : s with { LastReadyProbe = probe.Outcome });
                    if (probe.Ok)
                    {
                        return null;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), context.Time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var status = Status;
            var got = status.Pid is null && status.LastExit is { } exit ? "its process " + exit
                : status.LastReadyProbe ?? "no answer yet";
            return $"did not answer {launch.Plan.ReadyPath} within {Durations.Format(timeout)} ({got})";
        }
    }

    /// <summary>Stops supervising, then SIGTERM to the process group, the grace period, and SIGKILL to the group.</summary>
    /// <returns>A task that completes when nothing of the server is left.</returns>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        ChildProcess? process;
        lock (_lock)
        {
            process = _process;
        }

        if (process is not null && !process.HasExited)
        {
            Update(s => s with { State = ServerState.Stopping });
            await TerminateAsync(process).ConfigureAwait(false);
        }

        Update(s => s with { State = ServerState.Stopped, Pid = null });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        ChildProcess? process;
        lock (_lock)
        {
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var backoff = context.Options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            ChildProcess process;
            try
            {
                process = await StartProcessAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Win32Exception or PlatformNotSupportedException or InvalidOperationException or TimeoutException)
            {
                context.Progress.ServerEvent(Name, e.Message);
                Update(s => s with { State = ServerState.Failed, Error = e.Message });
                return;
            }

            var reason = await MonitorAsync(process, cancellationToken).ConfigureAwait(false);
            if (reason is null)
            {
                return;
            }

            if (process.HasExited)
            {
                Update(s => s with { ExitsBeforeReady = s.Ready ? 1 : s.ExitsBeforeReady + 1, LastExit = reason });
            }

            if (!process.HasExited)
            {
                // A hung process: the kubelet kills a container that fails liveness after its grace period.
                await TerminateAsync(process).ConfigureAwait(false);
            }

            lock (_lock)
            {
                _process = null;
            }

            await process.DisposeAsync().ConfigureAwait(false);
            var restarts = Update(s => s with { State = ServerState.Backoff, Pid = null, Restarts = s.Restarts + 1 }).Restarts;
            context.Progress.ServerEvent(Name, $"{reason}; restarting in {Durations.Format(backoff)} (restart {restarts})");
            try
            {
                await Task.Delay(backoff, context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, context.Options.MaxBackoff.Ticks));
        }
    }

    /// <summary>Watches a running process; returns why it must restart, or null when supervision stops.</summary>
    private async Task<string?> MonitorAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        var failures = 0;
        // Like a startup probe: /health failures count only once the server has answered it, or after the startup bound.
        var started = false;
        var startedAt = context.Time.GetTimestamp();
        var exited = process.WaitForExitAsync(CancellationToken.None);
        while (true)
        {
            // Until the server has answered once, probe at the startup probe's period: a restarted server shows ready
            // within seconds, not at the next liveness check.
            var tick = Task.Delay(started ? context.Options.HealthPeriod : context.Options.StartupPeriod, context.Time, cancellationToken);
            await Task.WhenAny(exited, tick).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            if (exited.IsCompleted)
            {
                return (await exited.ConfigureAwait(false)).ToString();
            }

            // Ready means WaitReadyAsync saw this process answer /ready, perhaps before this loop's first probe: it has
            // started, so its /health failures count from now on. (A restart clears Ready before the new process starts.)
            started |= Status.Ready;
            if ((await Probe.GetAsync(context.Http, launch.Port, launch.Plan.HealthPath, context.Time, cancellationToken).ConfigureAwait(false)).Ok)
            {
                started = true;
                failures = 0;
                var ready = await Probe.GetAsync(context.Http, launch.Port, launch.Plan.ReadyPath, context.Time, cancellationToken).ConfigureAwait(false);
                Update(s => ready.Ok
                    ? s with { State = ServerState.Ready, ExitsBeforeReady = 0, LastReadyProbe = ready.Outcome }
                    : s with { State = ServerState.NotReady, LastReadyProbe = ready.Outcome });
            }
            else if (!started)
            {
                if (context.Time.GetElapsedTime(startedAt) > context.Options.ReadyTimeout)
                {
                    return $"{launch.Plan.HealthPath} did not answer within {Durations.Format(context.Options.ReadyTimeout)} of the start";
                }
            }
            else if (++failures >= context.Options.HealthFailureThreshold)
            {
                return $"{launch.Plan.HealthPath} failed {failures} times";
            }
            else
            {
                Update(s => s with { State = ServerState.Unhealthy });
            }
        }
    }

    private async Task<ChildProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        var process = await ChildProcess.StartAsync(
            new ChildProcessOptions(launch.Plan.Run.Command, launch.Plan.Run.Args)
            {
                WorkingDirectory = launch.WorkingDirectory,
                Environment = launch.Environment,
                OutputLine = line => context.Progress.Output(Name, line),
                ErrorLine = line => context.Progress.Output(Name, line),
                TimeProvider = context.Time,
            },
            cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _process = process;
        }

        Update(s => s with { State = ServerState.Starting, Pid = process.Id, StartedAt = context.Time.GetUtcNow() });
        context.Progress.ServerEvent(Name, $"started pid {process.Id} on port {launch.Port}");
        return process;
    }

    /// <summary>SIGTERM to the group, then SIGKILL to the group after the grace period.</summary>
    private async Task TerminateAsync(ChildProcess process)
    {
        var grace = context.Options.GracePeriod;
        context.Progress.ServerEvent(Name, $"stopping pid {process.Id} (SIGTERM)");
        process.Terminate();
        using var bound = new CancellationTokenSource(grace, context.Time);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Progress.ServerEvent(Name, $"pid {process.Id} still running after {Durations.Format(grace)}; killing it");
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private ServerStatus Update(Func<ServerStatus, ServerStatus> change)
    {
        ServerStatus next;
        lock (_lock)
        {
            next = _status = change(_status);
        }

        context.Changed();
        return next;
    }
}
