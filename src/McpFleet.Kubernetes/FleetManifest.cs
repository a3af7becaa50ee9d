using k8s;
using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>What <see cref="FleetDeployer"/> applies: the namespace and, per phase, each server's typed objects in apply order.</summary>
/// <param name="FleetName">The fleet name (<c>app.kubernetes.io/part-of</c>); prune only touches objects of this fleet.</param>
/// <param name="Namespace">The namespace every server object lives in.</param>
/// <param name="NamespaceObject">The Namespace object to apply first (with its pod-security labels).</param>
/// <param name="Phases">The phases in rollout order.</param>
public sealed record FleetManifest(string FleetName, string Namespace, V1Namespace NamespaceObject, IReadOnlyList<PhaseManifest> Phases)
{
    /// <summary>Gets every server of every phase, in rollout order.</summary>
    public IEnumerable<ServerManifest> Servers => Phases.SelectMany(p => p.Servers);
}

/// <summary>One rollout phase.</summary>
/// <param name="Number">1-based phase number.</param>
/// <param name="Name">The phase name.</param>
/// <param name="Servers">The servers of the phase.</param>
public sealed record PhaseManifest(int Number, string Name, IReadOnlyList<ServerManifest> Servers);

/// <summary>One server's objects.</summary>
/// <param name="Name">The server name (objects are named <c>mcp-{name}</c>).</param>
/// <param name="Port">The MCP port, used by the smoke check through the service proxy.</param>
/// <param name="Objects">The objects, in apply order.</param>
public sealed record ServerManifest(string Name, int Port, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    /// <summary>Gets the base object name, <c>mcp-{name}</c>.</summary>
    public string ObjectName => RuntimeContract.Labels.NamePrefix + Name;

    /// <summary>
    /// Gets, for the fleet's gateway only, the servers it fronts; <c>smoke</c> then lists tools through it and checks that
    /// each ready one contributes. <see langword="null"/> for a server.
    /// </summary>
    public IReadOnlyList<GatewayRoute>? Fronts { get; init; }

    /// <summary>Gets the path of the server's readiness probe (<c>probes.readyPath</c>, else the contract's).</summary>
    public string ReadyPath { get; init; } = RuntimeContract.ReadyPath;

    /// <summary>Gets the names of this server's Deployments (normally one).</summary>
    public IEnumerable<string> DeploymentNames =>
        Objects.Where(o => o.Kind == "Deployment").Select(o => o.Metadata.Name);
}

/// <summary>A server behind the gateway, as the smoke check needs it.</summary>
/// <param name="Server">The server name.</param>
/// <param name="Prefix">The prefix of its tool names at the gateway (<c>&lt;prefix&gt;_&lt;tool&gt;</c>); empty for none.</param>
/// <param name="ReadyPath">The server's own readiness path.</param>
public sealed record GatewayRoute(string Server, string Prefix, string ReadyPath);
