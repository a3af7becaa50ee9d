using k8s;
using k8s.Autorest;
using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>
/// Applies a fleet phase by phase with server-side apply, waits (with a watch) until each phase's Deployments are
/// Available, optionally smoke-checks them, stops at the first failing phase with a report, and prunes.
/// </summary>
/// <param name="cluster">The cluster.</param>
/// <param name="timeProvider">The clock that bounds each wait.</param>
/// <param name="smoke">The smoke check run per phase with <see cref="DeployOptions.Smoke"/>.</param>
public sealed class FleetDeployer(IFleetCluster cluster, TimeProvider timeProvider, FleetSmoke? smoke = null)
{
    /// <summary>Log lines kept per pod in a failure report.</summary>
    public const int LogTailLines = 20;

    /// <summary>Events kept per object in a failure report.</summary>
    public const int EventsPerObject = 5;

    /// <summary>The label selector of the objects of <paramref name="fleetName"/> that McpFleet manages.</summary>
    /// <param name="fleetName">The fleet name.</param>
    /// <returns>The selector.</returns>
    internal static string ManagedSelector(string fleetName) =>
        $"app.kubernetes.io/managed-by={RuntimeContract.Labels.ManagedByValue},app.kubernetes.io/part-of={fleetName}";

    /// <summary>Deploys <paramref name="manifest"/>.</summary>
    /// <param name="manifest">What to apply.</param>
    /// <param name="options">Phase selection, dry run, timeout, smoke and prune.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="cancellationToken">Cancels the deploy (objects already applied stay).</param>
    /// <returns>The result; <see cref="DeployResult.Failure"/> names the failing phase.</returns>
    public async Task<DeployResult> DeployAsync(FleetManifest manifest, DeployOptions options, IDeployProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var apply = new ApplyOptions(options.DryRun, options.ForceConflicts);
        var completed = new List<int>();
        try
        {
            await cluster.ApplyAsync(manifest.NamespaceObject, apply, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var first = manifest.Phases.FirstOrDefault(p => options.Includes(p.Number));
            return new(completed, new PhaseFailure(first?.Number ?? 0, first?.Name ?? "", $"applying Namespace/{manifest.Namespace} failed: {ClusterErrors.Describe(e)}", []), [], false);
        }

        foreach (var phase in manifest.Phases.Where(p => options.Includes(p.Number)))
        {
            progress.PhaseStarted(phase);
            var failure = await RunPhaseAsync(manifest, phase, apply, options, progress, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return new(completed, failure, [], false);
            }

            completed.Add(phase.Number);
            progress.PhaseCompleted(phase);
        }

        if (!options.Prune)
        {
            return new(completed, null, [], false);
        }

        var candidates = await FindPruneCandidatesAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return new(completed, null, [], false);
        }

        if (options.ConfirmPrune is { } confirm && !await confirm(candidates, cancellationToken).ConfigureAwait(false))
        {
            return new(completed, null, [], true);
        }

        await PruneAsync(candidates, options.DryRun, cancellationToken).ConfigureAwait(false);
        return new(completed, null, candidates, false);
    }

    /// <summary>Deletes the objects that <see cref="FindPruneCandidatesAsync"/> found.</summary>
    /// <param name="candidates">The objects.</param>
    /// <param name="dryRun">Send <c>dryRun=All</c>.</param>
    /// <param name="cancellationToken">Cancels the deletes.</param>
    /// <returns>A task that completes when every delete was answered.</returns>
    public async Task PruneAsync(IReadOnlyList<ObjectRef> candidates, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var obj in candidates)
        {
            await cluster.DeleteAsync(obj, dryRun, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists this fleet's managed objects in the namespace that <paramref name="manifest"/> no longer has.</summary>
    /// <param name="manifest">The desired objects.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The objects prune would delete.</returns>
    public async Task<IReadOnlyList<ObjectRef>> FindPruneCandidatesAsync(FleetManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var desired = manifest.Servers.SelectMany(s => s.Objects).Select(o => (o.Kind, o.Metadata.Name)).ToHashSet();
        // A fleet on an old External Secrets operator renders v1beta1; list ExternalSecrets in the version it uses.
        var externalSecretVersion = manifest.Servers.SelectMany(s => s.Objects).FirstOrDefault(o => o.Kind == "ExternalSecret")?.ApiVersion;
        var selector = ManagedSelector(manifest.FleetName);
        var result = new List<ObjectRef>();
        foreach (var kind in ResourceKind.Managed)
        {
            var listed = kind.Kind == "ExternalSecret" && externalSecretVersion is not null ? kind with { ApiVersion = externalSecretVersion } : kind;
            var objects = await cluster.ListObjectsAsync(manifest.Namespace, listed, selector, cancellationToken).ConfigureAwait(false);
            result.AddRange(objects.Where(o => !desired.Contains((o.Kind, o.Name))));
        }

        return result;
    }

    private async Task<PhaseFailure?> RunPhaseAsync(
        FleetManifest manifest, PhaseManifest phase, ApplyOptions apply, DeployOptions options, IDeployProgress progress, CancellationToken cancellationToken)
    {
        foreach (var server in phase.Servers)
        {
            foreach (var obj in server.Objects)
            {
                try
                {
                    await cluster.ApplyAsync(obj, apply, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException e)
                {
                    return new(phase.Number, phase.Name, $"applying {obj.Kind}/{obj.Metadata.Name} of server {server.Name} failed: {ClusterErrors.Describe(e)}", []);
                }
            }

            progress.ServerApplied(phase, server);
        }

        if (options.DryRun)
        {
            // Nothing was stored, so there is no rollout to wait for.
            return null;
        }

        var pending = await WaitForPhaseAsync(manifest.Namespace, phase, options.Timeout, progress, cancellationToken).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            var failed = pending.Values.Any(s => s.Failed);
            var reason = failed
                ? "a rollout failed"
                : $"timed out after {Durations.Format(options.Timeout)} waiting for the phase to become Available";
            return new(phase.Number, phase.Name, reason, await ReportAsync(manifest.Namespace, phase, pending, cancellationToken).ConfigureAwait(false));
        }

        if (options.Smoke && smoke is not null)
        {
            var results = await smoke.CheckAsync(manifest.Namespace, phase.Servers, cancellationToken).ConfigureAwait(false);
            var bad = results.Where(r => !r.Ok).ToList();
            if (bad.Count > 0)
            {
                var failures = bad.Select(r => new ServerFailure(r.Server, RuntimeContract.Labels.NamePrefix + r.Server, "smoke: " + r.Describe(), [], [])).ToList();
                return new(phase.Number, phase.Name, "the smoke check failed", failures);
            }
        }

        return null;
    }

    /// <summary>Waits until every Deployment of <paramref name="phase"/> is Available; returns those that are not.</summary>
    private async Task<Dictionary<string, RolloutState>> WaitForPhaseAsync(
        string ns, PhaseManifest phase, TimeSpan timeout, IDeployProgress progress, CancellationToken cancellationToken)
    {
        var pending = phase.Servers.SelectMany(s => s.DeploymentNames)
            .ToDictionary(n => n, _ => new RolloutState(false, false, "not found"), StringComparer.Ordinal);
        if (pending.Count == 0)
        {
            return pending;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var names = pending.Keys.ToHashSet(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                // Without a resourceVersion the API server first sends ADDED for every existing Deployment, so a
                // reconnect re-reads the current state and nothing between two watches is missed.
                await foreach (var (type, deployment) in cluster.WatchDeploymentsAsync(ns, linked.Token).ConfigureAwait(false))
                {
                    var name = deployment.Metadata?.Name;
                    if (name is null || !names.Contains(name))
                    {
                        continue;
                    }

                    var state = type == WatchEventType.Deleted ? new RolloutState(false, false, "deleted") : DeploymentReadiness.Evaluate(deployment);
                    if (state.Ready)
                    {
                        pending.Remove(name);
                    }
                    else
                    {
                        pending[name] = state;
                    }

                    progress.Waiting(phase, name, state);
                    if (pending.Count == 0 || pending.Values.Any(s => s.Failed))
                    {
                        return pending;
                    }
                }

                // The server ended the watch (its own timeout); back off briefly, then watch again.
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return pending;
        }
    }

    private async Task<IReadOnlyList<ServerFailure>> ReportAsync(
        string ns, PhaseManifest phase, Dictionary<string, RolloutState> pending, CancellationToken cancellationToken)
    {
        var events = await TryAsync(() => cluster.ListEventsAsync(ns, null, cancellationToken), []).ConfigureAwait(false);
        var result = new List<ServerFailure>();
        foreach (var server in phase.Servers)
        {
            foreach (var deployment in server.DeploymentNames.Where(pending.ContainsKey))
            {
                var pods = await TryAsync(
                    () => cluster.ListPodsAsync(ns, $"{RuntimeContract.Labels.App}={server.ObjectName}", cancellationToken), []).ConfigureAwait(false);
                var podReports = new List<PodReport>();
                foreach (var pod in pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
                {
                    var restarts = pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
                    var log = await TryAsync(
                        () => cluster.ReadLogTailAsync(ns, pod.Metadata.Name, pod.Spec?.Containers?.FirstOrDefault()?.Name, LogTailLines, cancellationToken),
                        "").ConfigureAwait(false);
                    var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(LogTailLines).ToList();
                    podReports.Add(new PodReport(pod.Metadata.Name, DescribePod(pod), restarts, EventsOf(events, e => e == pod.Metadata.Name), lines));
                }

                // The Deployment's and its ReplicaSets' events: FailedCreate (quota, pod security) shows up there.
                var ownEvents = EventsOf(events, e => e == deployment || (e.StartsWith(deployment + "-", StringComparison.Ordinal) && !pods.Any(p => p.Metadata.Name == e)));
                result.Add(new ServerFailure(server.Name, deployment, pending[deployment].Reason, podReports, ownEvents));
            }
        }

        return result;
    }

    private static List<string> EventsOf(IReadOnlyList<Corev1Event> events, Func<string, bool> involved) =>
        events.Where(e => e.InvolvedObject?.Name is { } n && involved(n))
            .OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .TakeLast(EventsPerObject)
            .Select(e => $"{e.Type} {e.Reason}: {e.Message}" + (e.Count > 1 ? $" (x{e.Count})" : ""))
            .ToList();

    /// <summary>Describes a pod the way <c>kubectl get pods</c> shows its status: a waiting or terminated reason wins.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>e.g. <c>Pending: ImagePullBackOff</c> or <c>Pending: Unschedulable</c>.</returns>
    internal static string DescribePod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var phase = pod.Status?.Phase ?? "Unknown";
        var reasons = (pod.Status?.ContainerStatuses ?? [])
            .Select(c => c.State?.Waiting?.Reason ?? c.State?.Terminated?.Reason ?? (c.Ready ? null : "NotReady"))
            .Where(r => r is not null)
            .ToList();
        var unschedulable = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        if (unschedulable is not null)
        {
            reasons.Add(unschedulable.Reason ?? "Unschedulable");
        }

        return reasons.Count == 0 ? phase : $"{phase}: {string.Join(", ", reasons.Distinct())}";
    }

    private static async Task<T> TryAsync<T>(Func<Task<T>> action, T fallback)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (HttpOperationException)
        {
            // A report is best effort: a missing log (container never started) must not hide the rest.
            return fallback;
        }
        catch (HttpRequestException)
        {
            return fallback;
        }
    }
}
