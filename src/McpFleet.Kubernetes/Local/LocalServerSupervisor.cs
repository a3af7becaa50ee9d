using System.Diagnostics;
using System.Globalization;

namespace McpFleet.Kubernetes.Local;

/// <summary>
/// Runs one server process like a kubelet runs a container: starts it, checks <c>/health</c>, restarts it with
/// exponential backoff when it exits or fails its health check, and stops it with SIGTERM, then a kill after the grace period.
/// </summary>
internal sealed class LocalServerSupervisor : IAsyncDisposable
{
    private readonly LocalServerPlan _plan;
    private readonly LocalPhasePlan _phase;
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly LocalRunOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ILocalProgress _progress;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Process> _earlier = [];
    private Process? _process;
    private Task _loop = Task.CompletedTask;

    public LocalServerSupervisor(
        LocalPhasePlan phase, LocalServerPlan plan, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        int port, int metricsPort, LocalRunOptions options, TimeProvider time, HttpClient http, ILocalProgress progress, Action changed)
    {
        _phase = phase;
        _plan = plan;
        _workingDirectory = workingDirectory;
        _environment = environment;
        Port = port;
        MetricsPort = metricsPort;
        _options = options;
        _time = time;
        _http = http;
        _progress = progress;
        _changed = changed;
    }

    public int Port { get; }

    public int MetricsPort { get; }

    public int Restarts { get; private set; }

    public bool Ready { get; private set; }

    public string State { get; private set; } = "starting";

    public DateTimeOffset? StartedAt { get; private set; }

    public int? Pid
    {
        get
        {
            lock (_lock)
            {
                return _process is { } p && !HasExited(p) ? p.Id : null;
            }
        }
    }

    public LocalServerState Snapshot() => new(
        _phase.Number, _phase.Name, _plan.Name, _plan.Version, string.Join(' ', _plan.Run.Args.Prepend(_plan.Run.Command)),
        Pid, Port, MetricsPort, Restarts, StartedAt, Ready, State);

    public void Start() => _loop = Task.Run(async () =>
    {
        try
        {
            await SuperviseAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping while a probe was in flight.
        }
    });

    /// <summary>Waits until <c>/ready</c> answers 200, polling like a readiness probe; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        try
        {
            while (true)
            {
                if (Pid is not null && await ProbeAsync(RuntimeContract.ReadyPath, linked.Token).ConfigureAwait(false))
                {
                    SetState(ready: true, "ready");
                    return true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stops supervising, then SIGTERM, the grace period, and a kill of the whole tree for whatever is left.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Process? process;
        lock (_lock)
        {
            process = _process;
        }

        if (process is not null)
        {
            SetState(ready: false, "stopping");
            await TerminateAsync(process, _options.GracePeriod).ConfigureAwait(false);
        }

        // A safety net for "no orphans": every earlier process of this server was stopped before its restart; kill
        // any that is somehow still there.
        Process[] earlier;
        lock (_lock)
        {
            earlier = [.. _earlier];
        }

        foreach (var old in earlier.Where(p => !HasExited(p)))
        {
            _progress.ServerEvent(_plan.Name, $"pid {old.Id} of an earlier start still running; killing it");
            old.Kill(entireProcessTree: true);
            await old.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        SetState(ready: false, "stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        lock (_lock)
        {
            _process?.Dispose();
            _process = null;
            foreach (var old in _earlier)
            {
                old.Dispose();
            }

            _earlier.Clear();
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            Process process;
            try
            {
                process = StartProcess();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                _progress.ServerEvent(_plan.Name, $"cannot start '{_plan.Run.Command}': {e.Message}");
                SetState(ready: false, "failed");
                return;
            }

            var reason = await MonitorAsync(process, cancellationToken).ConfigureAwait(false);
            if (reason is null)
            {
                return;
            }

            if (!HasExited(process))
            {
                // A hung process: the kubelet kills a container that fails liveness after its grace period.
                await TerminateAsync(process, _options.GracePeriod).ConfigureAwait(false);
            }

            Restarts++;
            SetState(ready: false, "backoff");
            _progress.ServerEvent(_plan.Name, $"{reason}; restarting in {FleetDeployer.FormatDuration(backoff)} (restart {Restarts})");
            try
            {
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    /// <summary>Watches a running process; returns why it must restart, or null when supervision stops.</summary>
    private async Task<string?> MonitorAsync(Process process, CancellationToken cancellationToken)
    {
        var failures = 0;
        // Like a startup probe: /health failures count only once the server has answered it, or after the startup bound.
        var started = false;
        var startedAt = _time.GetTimestamp();
        var exited = process.WaitForExitAsync(CancellationToken.None);
        while (true)
        {
            var tick = Task.Delay(_options.HealthPeriod, _time, cancellationToken);
            await Task.WhenAny(exited, tick).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            if (exited.IsCompleted)
            {
                return $"exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}";
            }

            // Ready means WaitReadyAsync saw this process answer /ready, perhaps before this loop's first probe: it has
            // started, so its /health failures count from now on. (A restart clears Ready before the new process starts.)
            started |= Ready;
            if (await ProbeAsync(RuntimeContract.HealthPath, cancellationToken).ConfigureAwait(false))
            {
                started = true;
                failures = 0;
                var ready = await ProbeAsync(RuntimeContract.ReadyPath, cancellationToken).ConfigureAwait(false);
                SetState(ready, ready ? "ready" : "not ready");
            }
            else if (!started)
            {
                if (_time.GetElapsedTime(startedAt) > _options.ReadyTimeout)
                {
                    return $"{RuntimeContract.HealthPath} did not answer within {FleetDeployer.FormatDuration(_options.ReadyTimeout)} of the start";
                }
            }
            else if (++failures >= _options.HealthFailureThreshold)
            {
                return $"{RuntimeContract.HealthPath} failed {failures} times";
            }
            else
            {
                SetState(ready: false, "unhealthy");
            }
        }
    }

    private Process StartProcess()
    {
        var info = new ProcessStartInfo(_plan.Run.Command)
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in _plan.Run.Args)
        {
            info.ArgumentList.Add(arg);
        }

        // An inherited ASPNETCORE_URLS would make every server bind the same address; SERVER_PORT decides instead.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_lock)
        {
            if (_process is not null)
            {
                _earlier.Add(_process);
            }

            _process = process;
        }

        StartedAt = _time.GetUtcNow();
        SetState(ready: false, "starting");
        _progress.ServerEvent(_plan.Name, $"started pid {process.Id} on port {Port}");
        return process;
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            _progress.Output(_plan.Name, line);
        }
    }

    private async Task<bool> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(RuntimeContract.Probes.TimeoutSeconds));
        try
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{Port}{path}"), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process))
        {
            return;
        }

        _progress.ServerEvent(_plan.Name, $"stopping pid {process.Id} (SIGTERM)");
        Signals.Terminate(process);
        using var bound = new CancellationTokenSource(grace, _time);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _progress.ServerEvent(_plan.Name, $"pid {process.Id} still running after {FleetDeployer.FormatDuration(grace)}; killing it");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void SetState(bool ready, string state)
    {
        Ready = ready;
        State = state;
        _changed();
    }
}
