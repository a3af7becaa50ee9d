namespace McpFleet.Kubernetes;

/// <summary>Options of <see cref="FleetDeployer.DeployAsync"/>.</summary>
public sealed record DeployOptions
{
    /// <summary>The default bound of each phase's wait.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Gets the only phase to deploy, or null.</summary>
    public int? Phase { get; init; }

    /// <summary>Gets the first phase to deploy, or null for phase 1.</summary>
    public int? FromPhase { get; init; }

    /// <summary>Gets a value indicating whether every write is sent with <c>dryRun=All</c> (and nothing is waited for).</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets a value indicating whether server-side apply takes fields that another manager owns.</summary>
    public bool ForceConflicts { get; init; }

    /// <summary>Gets the bound of each phase's wait for its Deployments.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Gets a value indicating whether each phase is smoke-checked once Available.</summary>
    public bool Smoke { get; init; }

    /// <summary>Gets a value indicating whether managed objects of this fleet that the spec no longer has are deleted at the end.</summary>
    public bool Prune { get; init; }

    /// <summary>Gets the question asked before pruning; null approves. Answering false keeps every object.</summary>
    public Func<IReadOnlyList<ObjectRef>, CancellationToken, Task<bool>>? ConfirmPrune { get; init; }

    /// <summary>Tells whether phase <paramref name="number"/> is selected.</summary>
    /// <param name="number">The phase number.</param>
    /// <returns>True when it is deployed.</returns>
    public bool Includes(int number) => Phase is { } only ? number == only : number >= (FromPhase ?? 1);
}

/// <summary>Receives progress while a deploy runs. Every member has a no-op default.</summary>
public interface IDeployProgress
{
    /// <summary>A phase starts.</summary>
    /// <param name="phase">The phase.</param>
    void PhaseStarted(PhaseManifest phase) { }

    /// <summary>A server's objects were applied.</summary>
    /// <param name="phase">The phase.</param>
    /// <param name="server">The server.</param>
    void ServerApplied(PhaseManifest phase, ServerManifest server) { }

    /// <summary>The rollout state of a server changed while waiting.</summary>
    /// <param name="phase">The phase.</param>
    /// <param name="server">The Deployment name.</param>
    /// <param name="state">Its state.</param>
    void Waiting(PhaseManifest phase, string server, RolloutState state) { }

    /// <summary>A phase is Available (and smoke-checked when asked).</summary>
    /// <param name="phase">The phase.</param>
    void PhaseCompleted(PhaseManifest phase) { }
}

/// <summary>A progress sink that ignores everything.</summary>
public sealed class NoDeployProgress : IDeployProgress
{
    /// <summary>The instance.</summary>
    public static readonly NoDeployProgress Instance = new();
}

/// <summary>The outcome of a deploy.</summary>
/// <param name="CompletedPhases">The phases that were applied and became Available, in order.</param>
/// <param name="Failure">The failing phase, or null.</param>
/// <param name="Pruned">The objects deleted by <c>--prune</c> (or that would be, with dry run).</param>
/// <param name="PruneDeclined">The prune question was answered no.</param>
public sealed record DeployResult(
    IReadOnlyList<int> CompletedPhases, PhaseFailure? Failure, IReadOnlyList<ObjectRef> Pruned, bool PruneDeclined)
{
    /// <summary>Gets a value indicating whether every selected phase completed.</summary>
    public bool Success => Failure is null;
}

/// <summary>Why a phase failed.</summary>
/// <param name="Phase">The phase number.</param>
/// <param name="PhaseName">The phase name.</param>
/// <param name="Reason">In words: a timeout, a failed rollout, a failed smoke check, an API error.</param>
/// <param name="Servers">The servers that were not ready, with their pods, events and logs.</param>
public sealed record PhaseFailure(int Phase, string PhaseName, string Reason, IReadOnlyList<ServerFailure> Servers);

/// <summary>One server that failed a phase.</summary>
/// <param name="Server">The server name.</param>
/// <param name="Deployment">The Deployment name.</param>
/// <param name="State">The last rollout state seen.</param>
/// <param name="Pods">Its pods.</param>
/// <param name="Events">Events of the Deployment and its ReplicaSets, oldest first.</param>
public sealed record ServerFailure(string Server, string Deployment, string State, IReadOnlyList<PodReport> Pods, IReadOnlyList<string> Events);

/// <summary>A pod of a failing server.</summary>
/// <param name="Name">The pod name.</param>
/// <param name="Status">Phase and container states, e.g. <c>Pending: ImagePullBackOff</c>.</param>
/// <param name="Restarts">Container restarts.</param>
/// <param name="Events">Its last events, oldest first: <c>Warning BackOff: Back-off restarting failed container</c>.</param>
/// <param name="LogTail">Its last log lines.</param>
public sealed record PodReport(string Name, string Status, int Restarts, IReadOnlyList<string> Events, IReadOnlyList<string> LogTail);
