using System.Globalization;
using System.Net;

namespace McpFleet.Local.Containers;

/// <summary>The outcome of starting a fleet.</summary>
/// <param name="Success">Every server answered <c>/ready</c>.</param>
/// <param name="FailedServer">The server that did not, or <see langword="null"/>.</param>
/// <param name="Error">Which server failed and why, one line, or <see langword="null"/>.</param>
public sealed record ContainerStartResult(bool Success, string? FailedServer = null, string? Error = null);

/// <summary>How one server stopped.</summary>
/// <param name="Server">The server name.</param>
/// <param name="ExitCode">The container's exit code, or <see langword="null"/> when Podman could not tell.</param>
/// <param name="Duration">How long <c>podman pod stop</c> took.</param>
/// <param name="Error">Podman's message when the stop failed.</param>
public sealed record ContainerStopResult(string Server, int? ExitCode, TimeSpan Duration, string? Error = null);

/// <summary>
/// Runs a <see cref="PodmanFleetPlan"/> in Podman: the fleet network, then <c>podman kube play</c> phase by phase, each
/// phase waiting until every server answers <c>/ready</c> on its published port (as <c>deploy</c> waits for Available);
/// stops in reverse phase order with each pod's grace period; removes everything with <see cref="DownAsync"/>.
/// </summary>
/// <param name="podman">The podman command line.</param>
/// <param name="progress">Receives server events.</param>
/// <param name="timeProvider">The clock for timeouts.</param>
public sealed class PodmanFleetRunner(PodmanCli podman, IContainerProgress progress, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Creates the fleet network unless it exists, and returns its IPv4 subnet.</summary>
    /// <param name="network">The network name.</param>
    /// <param name="ns">The fleet's namespace, set as a label on the network.</param>
    /// <param name="cancellationToken">Cancels the podman calls.</param>
    /// <returns>The subnet, such as <c>10.89.3.0/24</c>.</returns>
    /// <exception cref="InvalidOperationException">Podman could not create or inspect the network.</exception>
    public async Task<string> EnsureNetworkAsync(string network, string ns, CancellationToken cancellationToken = default)
    {
        if (!(await podman.RunAsync(cancellationToken, "network", "exists", network).ConfigureAwait(false)).Success)
        {
            var created = await podman.RunAsync(cancellationToken, "network", "create", "--label", $"{PodmanManifestAdapter.NamespaceLabel}={ns}", network).ConfigureAwait(false);
            if (!created.Success)
            {
                throw new InvalidOperationException($"podman network create {network}: {created.Message}");
            }
        }

        var inspect = await podman.RunAsync(cancellationToken, "network", "inspect", network, "--format", "{{range .Subnets}}{{.Subnet}} {{end}}").ConfigureAwait(false);
        var subnet = inspect.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(s => !s.Contains(':', StringComparison.Ordinal));
        return inspect.Success && subnet is not null
            ? subnet
            : throw new InvalidOperationException($"podman network inspect {network}: {(inspect.Success ? "no IPv4 subnet" : inspect.Message)}");
    }

    /// <summary>Starts the fleet phase by phase; stops at the first server that fails to start or to become ready.</summary>
    /// <param name="plan">The adapted fleet.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Success, or which server failed and why. Pods already started keep running: call <see cref="StopAsync"/> or <see cref="DownAsync"/>.</returns>
    public async Task<ContainerStartResult> StartAsync(PodmanFleetPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await RemoveAsync(plan.Servers.Select(s => s.PodName), plan.Servers.SelectMany(s => s.Volumes), cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(RuntimeContract.Probes.TimeoutSeconds) };
        foreach (var phase in plan.Phases)
        {
            foreach (var server in phase.Servers)
            {
                var played = await PlayAsync(plan.Network, server, cancellationToken).ConfigureAwait(false);
                if (!played.Success)
                {
                    return Failed(server, $"podman kube play failed: {played.Message}");
                }

                progress.ServerEvent(server.Name, $"started pod {server.PodName} at {server.Address}, MCP on 127.0.0.1:{server.HostPort}");
            }

            var waits = phase.Servers.Select(s => WaitReadyAsync(http, s, cancellationToken)).ToList();
            foreach (var (server, error) in await Task.WhenAll(waits).ConfigureAwait(false))
            {
                if (error is not null)
                {
                    return Failed(server, error);
                }
            }

            progress.PhaseReady(phase);
        }

        return new ContainerStartResult(true);
    }

    /// <summary>
    /// Stops the fleet in reverse phase order; the servers of a phase stop together, each within its grace period, and
    /// each pod's network only after its server has exited.
    /// </summary>
    /// <param name="plan">The adapted fleet.</param>
    /// <param name="cancellationToken">Cancels the podman calls.</param>
    /// <returns>Each server's exit code and stop time, in stop order.</returns>
    public async Task<IReadOnlyList<ContainerStopResult>> StopAsync(PodmanFleetPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new List<ContainerStopResult>();
        foreach (var phase in plan.Phases.Reverse())
        {
            var stops = phase.Servers.Select(s => StopServerAsync(s, cancellationToken)).ToList();
            results.AddRange(await Task.WhenAll(stops).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Removes every pod of the fleet (by its namespace label), their volumes and the fleet network.</summary>
    /// <param name="ns">The fleet's namespace.</param>
    /// <param name="network">The fleet network (default <c>mcpfleet-&lt;namespace&gt;</c>).</param>
    /// <param name="cancellationToken">Cancels the podman calls.</param>
    /// <returns>The pods removed.</returns>
    public async Task<IReadOnlyList<string>> DownAsync(string ns, string? network = null, CancellationToken cancellationToken = default)
    {
        var pods = await podman.RunAsync(cancellationToken, "pod", "ps", "--filter", $"label={PodmanManifestAdapter.NamespaceLabel}={ns}", "--format", "{{.Name}}").ConfigureAwait(false);
        var names = Lines(pods.StandardOutput);
        var volumes = await podman.RunAsync(cancellationToken, "volume", "ls", "--format", "{{.Name}}").ConfigureAwait(false);
        var ours = Lines(volumes.StandardOutput).Where(v => v.StartsWith(RuntimeContract.Labels.NamePrefix, StringComparison.Ordinal) && (v.EndsWith("." + ns, StringComparison.Ordinal) || v.Contains($".{ns}-", StringComparison.Ordinal)));
        await RemoveAsync(names, ours, cancellationToken).ConfigureAwait(false);
        await podman.RunAsync(cancellationToken, "network", "rm", "--force", network ?? "mcpfleet-" + ns).ConfigureAwait(false);
        return names;
    }

    private async Task RemoveAsync(IEnumerable<string> pods, IEnumerable<string> volumes, CancellationToken cancellationToken)
    {
        var podList = pods.ToList();
        if (podList.Count > 0)
        {
            await podman.RunAsync(["pod", "rm", "--force", "--ignore", .. podList], cancellationToken).ConfigureAwait(false);
        }

        // A volume left by an earlier run would keep the old config: ConfigMap volumes are filled only when created.
        var volumeList = volumes.ToList();
        if (volumeList.Count > 0)
        {
            var existing = Lines((await podman.RunAsync(cancellationToken, "volume", "ls", "--format", "{{.Name}}").ConfigureAwait(false)).StandardOutput).ToHashSet(StringComparer.Ordinal);
            var stale = volumeList.Where(existing.Contains).ToList();
            if (stale.Count > 0)
            {
                await podman.RunAsync(["volume", "rm", "--force", .. stale], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<PodmanResult> PlayAsync(string network, PodmanServerPlan server, CancellationToken cancellationToken)
    {
        // The YAML may hold secret values: a private temp file, deleted at once, never the fleet directory.
        var directory = Directory.CreateTempSubdirectory("mcpfleet-play-");
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var file = Path.Combine(directory.FullName, server.PodName + ".yaml");
            await File.WriteAllTextAsync(file, server.Yaml, cancellationToken).ConfigureAwait(false);
            return await podman.RunAsync(cancellationToken, "kube", "play", "--quiet", "--network", network, "--ip", server.Address, file).ConfigureAwait(false);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<(PodmanServerPlan Server, string? Error)> WaitReadyAsync(HttpClient http, PodmanServerPlan server, CancellationToken cancellationToken)
    {
        var ready = new Uri($"http://127.0.0.1:{server.HostPort.ToString(CultureInfo.InvariantCulture)}{RuntimeContract.ReadyPath}");
        var deadline = timeProvider.GetUtcNow() + server.ReadyTimeout;
        var last = "no answer yet";
        while (true)
        {
            var state = await podman.RunAsync(cancellationToken, "inspect", server.ContainerName, "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}").ConfigureAwait(false);
            var fields = state.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!state.Success || fields.Length < 3)
            {
                return (server, $"crashed at start: podman inspect {server.ContainerName}: {state.Message}");
            }

            if (fields[0] is "exited" or "stopped" || fields[2] != "0")
            {
                return (server, $"crashed at start: exit code {fields[1]}{await LastLogAsync(server, cancellationToken).ConfigureAwait(false)}");
            }

            try
            {
                using var response = await http.GetAsync(ready, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    progress.ServerEvent(server.Name, "ready");
                    return (server, null);
                }

                last = $"{RuntimeContract.ReadyPath} answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = $"{RuntimeContract.ReadyPath}: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = $"{RuntimeContract.ReadyPath} did not answer within {RuntimeContract.Probes.TimeoutSeconds} s";
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                return (server, $"never became ready within {server.ReadyTimeout.TotalSeconds} s (the startup probe's budget): last {last}{await LastLogAsync(server, cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(s_pollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> LastLogAsync(PodmanServerPlan server, CancellationToken cancellationToken)
    {
        var logs = await podman.RunAsync(cancellationToken, "logs", "--tail", "1", server.ContainerName).ConfigureAwait(false);
        var line = Lines(logs.StandardOutput + "\n" + logs.StandardError).LastOrDefault();
        return line is null ? "" : $"; last log line: {line}";
    }

    private async Task<ContainerStopResult> StopServerAsync(PodmanServerPlan server, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        // The server first, the pod (its infra container, which holds the network) after: stopped together, the
        // network can go while the server still drains, and its in-flight calls would hang.
        var stop = await podman.RunAsync(cancellationToken, "stop", "--time", ((int)server.GracePeriod.TotalSeconds).ToString(CultureInfo.InvariantCulture), server.ContainerName).ConfigureAwait(false);
        var duration = timeProvider.GetElapsedTime(started);
        await podman.RunAsync(cancellationToken, "pod", "stop", server.PodName).ConfigureAwait(false);
        var exit = await podman.RunAsync(cancellationToken, "inspect", server.ContainerName, "--format", "{{.State.ExitCode}}").ConfigureAwait(false);
        int? code = exit.Success && int.TryParse(exit.StandardOutput.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null;
        progress.ServerEvent(server.Name, stop.Success ? $"stopped in {duration.TotalSeconds:0.0} s, exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}" : $"stop failed: {stop.Message}");
        return new ContainerStopResult(server.Name, code, duration, stop.Success ? null : stop.Message);
    }

    private ContainerStartResult Failed(PodmanServerPlan server, string error)
    {
        progress.ServerEvent(server.Name, error);
        return new ContainerStartResult(false, server.Name, $"{server.Name}: {error}");
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
