namespace McpFleet.Spec;

/// <summary>
/// A valid fleet with every default applied: what the renderer, the Helm values generator and the deployer consume.
/// </summary>
/// <remarks>Produced only from a spec without errors, so every value here is usable as it is.</remarks>
public sealed record ResolvedFleet
{
    /// <summary>Gets the fleet name (<c>app.kubernetes.io/part-of</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the value of <c>ENVIRONMENT</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>Gets env vars common to every server, in key order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Env { get; init; }

    /// <summary>Gets the External Secrets store.</summary>
    public required SecretStoreSpec SecretStore { get; init; }

    /// <summary>Gets the ExternalSecret apiVersion.</summary>
    public required string ExternalSecretApiVersion { get; init; }

    /// <summary>Gets the MCP port range.</summary>
    public required PortRange Ports { get; init; }

    /// <summary>Gets the metrics container port.</summary>
    public required int MetricsPort { get; init; }

    /// <summary>Gets the labels of allowed caller pods, in key order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Callers { get; init; }

    /// <summary>Gets the monitoring namespace.</summary>
    public required string MonitoringNamespace { get; init; }

    /// <summary>Gets the phases in rollout order; <see cref="ResolvedPhase.Number"/> starts at 1.</summary>
    public required IReadOnlyList<ResolvedPhase> Phases { get; init; }

    /// <summary>Gets the gateway in front of the servers, or <see langword="null"/> when the fleet has none (or it is disabled).</summary>
    public ResolvedGateway? Gateway { get; init; }

    /// <summary>Gets all servers in phase order, then in the order the phase lists them.</summary>
    public IEnumerable<ResolvedServer> Servers => Phases.SelectMany(p => p.Servers);
}

/// <summary>A phase with its servers resolved.</summary>
/// <param name="Number">1-based position in the rollout.</param>
/// <param name="Name">The phase name.</param>
/// <param name="Servers">The servers, in the order the phase lists them.</param>
public sealed record ResolvedPhase(int Number, string Name, IReadOnlyList<ResolvedServer> Servers)
{
    /// <summary>Gets the output directory name, <c>phase-{n}-{name}</c>.</summary>
    public string DirectoryName => $"phase-{Number}-{Name}";
}

/// <summary>One server with every default applied.</summary>
public sealed record ResolvedServer
{
    /// <summary>Gets the server as written.</summary>
    public required ServerSpec Spec { get; init; }

    /// <summary>Gets the server name.</summary>
    public string Name => Spec.Name;

    /// <summary>Gets the base object name, <c>mcp-{name}</c>.</summary>
    public string ObjectName => RuntimeContract.Labels.NamePrefix + Spec.Name;

    /// <summary>Gets the 1-based phase number.</summary>
    public required int Phase { get; init; }

    /// <summary>Gets the full image reference.</summary>
    public required string Image { get; init; }

    /// <summary>Gets the replica count: the Deployment's <c>replicas</c> when <see cref="Autoscaling"/> is null, else the HPA minimum.</summary>
    public required int Replicas { get; init; }

    /// <summary>Gets the effective resources (requests and limits both set for CPU and memory).</summary>
    public required ResourcesSpec Resources { get; init; }

    /// <summary>Gets the HPA, or <see langword="null"/> when the Deployment owns its replica count.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>Gets the dependencies, resolved to their servers' names and ports.</summary>
    public required IReadOnlyList<ResolvedDependency> Dependencies { get; init; }

    /// <summary>Gets the path of the liveness and startup probes: <c>probes.healthPath</c>, else <see cref="RuntimeContract.HealthPath"/>.</summary>
    public string HealthPath => Spec.Probes?.HealthPath ?? RuntimeContract.HealthPath;

    /// <summary>Gets the path of the readiness probe: <c>probes.readyPath</c>, else <see cref="RuntimeContract.ReadyPath"/>.</summary>
    public string ReadyPath => Spec.Probes?.ReadyPath ?? RuntimeContract.ReadyPath;

    /// <summary>Gets <c>mcpfleet-proxy</c> in front of the server, or <see langword="null"/> when the server serves the contract itself.</summary>
    public ResolvedProxy? Proxy { get; init; }

    /// <summary>Gets the most replicas that can run at once (HPA max, or replicas); a PDB is rendered when ≥ 2.</summary>
    public int MaxReplicas => Autoscaling?.MaxReplicas ?? Replicas;
}

/// <summary>A dependency of a server.</summary>
/// <param name="Name">The dependency's server name.</param>
/// <param name="Port">Its MCP port.</param>
/// <param name="Url">Its in-cluster MCP URL.</param>
public sealed record ResolvedDependency(string Name, int Port, string Url)
{
    /// <summary>Gets the env var that carries <see cref="Url"/>, e.g. <c>AI_MEMORY_MCP_URL</c>.</summary>
    public string VariableName => RuntimeContract.DependencyUrlVariable(Name);
}
