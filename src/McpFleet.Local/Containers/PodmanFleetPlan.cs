namespace McpFleet.Local.Containers;

/// <summary>What <c>mcpfleet up --containers</c> runs: one Podman pod per server, by phase, on one fleet network.</summary>
/// <param name="Namespace">The fleet's namespace; it names the network and labels every pod.</param>
/// <param name="Network">The Podman network every pod joins.</param>
/// <param name="Phases">The phases in start order.</param>
/// <param name="Adaptations">What was changed so that Podman runs the manifests, one line each.</param>
/// <param name="NotApplied">Objects Podman cannot run, such as <c>NetworkPolicy/mcp-notes</c>.</param>
public sealed record PodmanFleetPlan(
    string Namespace,
    string Network,
    IReadOnlyList<PodmanPhasePlan> Phases,
    IReadOnlyList<ContainerAdaptation> Adaptations,
    IReadOnlyList<string> NotApplied)
{
    /// <summary>Gets every server in start order.</summary>
    public IEnumerable<PodmanServerPlan> Servers => Phases.SelectMany(p => p.Servers);
}

/// <summary>One phase of a container run.</summary>
/// <param name="Number">1-based phase number.</param>
/// <param name="Name">The phase name.</param>
/// <param name="Servers">Its servers.</param>
public sealed record PodmanPhasePlan(int Number, string Name, IReadOnlyList<PodmanServerPlan> Servers);

/// <summary>One server, as a pod for <c>podman kube play</c>.</summary>
/// <param name="Name">The server name.</param>
/// <param name="PodName">The pod name, <c>mcp-&lt;name&gt;.&lt;namespace&gt;</c> (Podman pod names are global).</param>
/// <param name="ContainerName">The container name Podman gives it, <c>&lt;pod&gt;-&lt;container&gt;</c>.</param>
/// <param name="Address">The pod's static address on the fleet network; every pod's host aliases point the server's DNS names here.</param>
/// <param name="HostPort">The loopback port the MCP port is published on.</param>
/// <param name="ContainerPort">The MCP port inside the pod.</param>
/// <param name="Image">The image reference.</param>
/// <param name="ReadyTimeout">How long the server may take to answer <c>/ready</c>: its startup probe's period × failure threshold.</param>
/// <param name="GracePeriod">Its <c>terminationGracePeriodSeconds</c>, the <c>podman pod stop --time</c>.</param>
/// <param name="Volumes">The volumes Podman creates for the pod (removed by <c>down</c>).</param>
/// <param name="Yaml">The ConfigMap and Pod for <c>podman kube play</c>. Holds secret values when the server has secrets: never write it into the fleet directory.</param>
public sealed record PodmanServerPlan(
    string Name,
    string PodName,
    string ContainerName,
    string Address,
    int HostPort,
    int ContainerPort,
    string Image,
    TimeSpan ReadyTimeout,
    TimeSpan GracePeriod,
    IReadOnlyList<string> Volumes,
    string Yaml);

/// <summary>One change made so that Podman runs a manifest, printed by <c>up --containers</c> and listed in docs/containers.md.</summary>
/// <param name="Server">The server, or <c>*</c> for every server.</param>
/// <param name="What">What the manifest says and what runs instead.</param>
public sealed record ContainerAdaptation(string Server, string What)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Server}: {What}";
}
