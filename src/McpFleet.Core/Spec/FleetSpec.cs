namespace McpFleet.Spec;

/// <summary>
/// A fleet as written: <c>fleet.yaml</c> plus one <c>values/&lt;server&gt;.yaml</c> per server.
/// </summary>
/// <remarks>
/// Optional settings are <see langword="null"/> when the file leaves them out; <see cref="FleetResolver"/> applies
/// the defaults and produces the <see cref="ResolvedFleet"/> that the renderer consumes.
/// <para>
/// The spec records that hold lists or dictionaries (this one, <see cref="ServerSpec"/>, <see cref="PhaseSpec"/>,
/// <see cref="EgressRule"/>, <see cref="LocalRunSpec"/>, <see cref="ResolvedFleet"/> and its parts) compare those
/// members by reference, as records do. That is deliberate for now: no code compares two specs (the importer and the
/// tests compare the YAML a spec renders to, or single fields), and structural equality would have to be written by
/// hand for each record and kept in step with every new member. Compare rendered output, not spec objects.
/// </para>
/// </remarks>
public sealed record FleetSpec
{
    /// <summary>Gets the fleet name (<c>app.kubernetes.io/part-of</c>); defaults to the namespace.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the namespace every object goes into (the document's <c>sophia-ai</c>).</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the image pattern with <c>{name}</c> and <c>{version}</c> placeholders.</summary>
    public string? Image { get; init; }

    /// <summary>Gets the value of <c>ENVIRONMENT</c> (the document's <c>prod</c>).</summary>
    public string? Environment { get; init; }

    /// <summary>Gets env vars common to every server (the document's <c>PULUMI_ORG</c>).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the External Secrets store that every ExternalSecret refers to.</summary>
    public SecretStoreSpec? SecretStore { get; init; }

    /// <summary>Gets the ExternalSecret apiVersion: <c>external-secrets.io/v1</c> unless an old operator needs <c>v1beta1</c>.</summary>
    public string? ExternalSecretApiVersion { get; init; }

    /// <summary>Gets the MCP port range (the document's 9000–9020).</summary>
    public PortRange? Ports { get; init; }

    /// <summary>Gets the container port of <c>/metrics</c>.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>Gets the labels of the pods allowed to call MCP servers (the document's <c>app: sophia-backend</c>).</summary>
    public IReadOnlyDictionary<string, string>? Callers { get; init; }

    /// <summary>Gets the namespace whose pods may scrape the metrics port.</summary>
    public string? MonitoringNamespace { get; init; }

    /// <summary>Gets the defaults for resources, replicas and autoscaling.</summary>
    public ServerDefaults? Defaults { get; init; }

    /// <summary>Gets the ordered rollout phases.</summary>
    public IReadOnlyList<PhaseSpec> Phases { get; init; } = [];

    /// <summary>Gets the <c>gateway</c> block, or <see langword="null"/> for a fleet without a gateway.</summary>
    public GatewaySpec? Gateway { get; init; }

    /// <summary>Gets the servers, one per values file, in file-name order.</summary>
    public IReadOnlyList<ServerSpec> Servers { get; init; } = [];

    /// <summary>Gets where each key of <c>fleet.yaml</c> was written, for diagnostics.</summary>
    public SourceMap Source { get; init; } = SourceMap.Empty;
}

/// <summary>An External Secrets Operator store reference.</summary>
/// <param name="Name">The store name (the document's <c>pulumi-esc</c>).</param>
/// <param name="Kind"><c>SecretStore</c> or <c>ClusterSecretStore</c>.</param>
/// <param name="RefreshInterval">How often the operator refreshes the secret, e.g. <c>1h</c>.</param>
public sealed record SecretStoreSpec(string Name, string Kind, string? RefreshInterval = null);

/// <summary>An inclusive port range.</summary>
/// <param name="Min">The lowest port.</param>
/// <param name="Max">The highest port.</param>
public sealed record PortRange(int Min, int Max)
{
    /// <summary>Tells whether <paramref name="port"/> is inside the range.</summary>
    /// <param name="port">The port.</param>
    /// <returns><see langword="true"/> when <c>Min ≤ port ≤ Max</c>.</returns>
    public bool Contains(int port) => port >= Min && port <= Max;
}

/// <summary>One rollout phase: its servers are applied together, after every earlier phase is Available.</summary>
/// <param name="Name">A DNS-1123 phase name, e.g. <c>core</c>.</param>
/// <param name="Servers">The server names in this phase.</param>
public sealed record PhaseSpec(string Name, IReadOnlyList<string> Servers);

/// <summary>Fleet-wide defaults that a server's values file may override.</summary>
public sealed record ServerDefaults
{
    /// <summary>Gets the default replica count for servers without an HPA.</summary>
    public int? Replicas { get; init; }

    /// <summary>Gets the default resources.</summary>
    public ResourcesSpec? Resources { get; init; }

    /// <summary>Gets the default autoscaling, or <see langword="null"/> for none.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }
}
