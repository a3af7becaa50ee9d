using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>One server's line in <c>mcpfleet status</c> (cluster or local).</summary>
/// <param name="Phase">The phase number.</param>
/// <param name="PhaseName">The phase name.</param>
/// <param name="Server">The server name.</param>
/// <param name="Version">The running version (<c>app.kubernetes.io/version</c>), or null when absent.</param>
/// <param name="Image">The image (or the local command), or null when absent.</param>
/// <param name="Desired">Desired replicas.</param>
/// <param name="Updated">Updated replicas.</param>
/// <param name="Ready">Ready replicas.</param>
/// <param name="Available">Available replicas.</param>
/// <param name="Hpa">The HPA's current/min/max, or null without an HPA.</param>
/// <param name="Restarts">Container restarts over all pods.</param>
/// <param name="Age">Time since the Deployment (or process) was created, or null.</param>
/// <param name="IsReady">The rollout is complete and Available.</param>
/// <param name="State">What it waits for, or <c>available</c>.</param>
public sealed record StatusRow(
    int Phase, string PhaseName, string Server, string? Version, string? Image,
    int Desired, int Updated, int Ready, int Available, HpaStatus? Hpa, int Restarts, TimeSpan? Age, bool IsReady, string State);

/// <summary>An HPA's replica counts.</summary>
/// <param name="Current">Current replicas.</param>
/// <param name="Min">Minimum replicas.</param>
/// <param name="Max">Maximum replicas.</param>
public sealed record HpaStatus(int Current, int Min, int Max);

/// <summary>The status of a whole fleet.</summary>
/// <param name="Namespace">The namespace (or <c>local</c>).</param>
/// <param name="Rows">One row per server, in phase order.</param>
public sealed record FleetStatusReport(string Namespace, IReadOnlyList<StatusRow> Rows)
{
    /// <summary>Gets a value indicating whether every server is ready.</summary>
    public bool AllReady => Rows.All(r => r.IsReady);
}

/// <summary>Reads a fleet's Deployments, HPAs and pods and summarizes them per phase.</summary>
/// <param name="cluster">The cluster.</param>
/// <param name="timeProvider">The clock, for ages.</param>
public sealed class FleetStatus(IFleetCluster cluster, TimeProvider timeProvider)
{
    /// <summary>Reads the status of <paramref name="manifest"/>'s servers.</summary>
    /// <param name="manifest">The fleet.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report.</returns>
    public async Task<FleetStatusReport> GetAsync(FleetManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var ns = manifest.Namespace;
        var deployments = (await cluster.ListDeploymentsAsync(ns, cancellationToken).ConfigureAwait(false))
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var hpas = (await cluster.ListHpasAsync(ns, cancellationToken).ConfigureAwait(false))
            .Where(h => h.Spec?.ScaleTargetRef?.Kind == "Deployment")
            .GroupBy(h => h.Spec.ScaleTargetRef.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pods = await cluster.ListPodsAsync(ns, $"{RuntimeContract.Labels.Tier}={RuntimeContract.Labels.TierMcp}", cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var rows = new List<StatusRow>();
        foreach (var phase in manifest.Phases)
        {
            foreach (var server in phase.Servers)
            {
                var name = server.ObjectName;
                if (!deployments.TryGetValue(name, out var d))
                {
                    rows.Add(new StatusRow(phase.Number, phase.Name, server.Name, null, null, 0, 0, 0, 0, null, 0, null, false, "not deployed"));
                    continue;
                }

                var state = DeploymentReadiness.Evaluate(d);
                var labels = d.Metadata.Labels ?? new Dictionary<string, string>();
                var version = labels.TryGetValue("app.kubernetes.io/version", out var v) ? v
                    : labels.TryGetValue(RuntimeContract.Labels.Version, out var v2) ? v2.TrimStart('v') : null;
                var restarts = pods.Where(p => p.Metadata.Labels?.TryGetValue(RuntimeContract.Labels.App, out var app) == true && app == name)
                    .Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0);
                HpaStatus? hpa = hpas.TryGetValue(name, out var h)
                    ? new HpaStatus(h.Status?.CurrentReplicas ?? 0, h.Spec.MinReplicas ?? 1, h.Spec.MaxReplicas)
                    : null;
                var created = d.Metadata.CreationTimestamp;
                rows.Add(new StatusRow(
                    phase.Number, phase.Name, server.Name, version, d.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image,
                    d.Spec?.Replicas ?? 1, d.Status?.UpdatedReplicas ?? 0, d.Status?.ReadyReplicas ?? 0, d.Status?.AvailableReplicas ?? 0,
                    hpa, restarts, created is null ? null : now - created.Value.ToUniversalTime(), state.Ready, state.Reason));
            }
        }

        return new FleetStatusReport(ns, rows);
    }
}
