namespace McpFleet.Spec;

/// <summary>
/// One server as written in <c>values/&lt;server&gt;.yaml</c>: the document's keys (<c>name</c>, <c>port</c>,
/// <c>replicas</c>, <c>version</c>, <c>resources</c>, <c>tools</c>, <c>description</c>, <c>secrets</c>) plus McpFleet's
/// optional keys.
/// </summary>
public sealed record ServerSpec
{
    /// <summary>Gets the DNS-1123 server name; objects are named <c>mcp-{name}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the MCP port, inside the fleet's port range.</summary>
    public required int Port { get; init; }

    /// <summary>Gets the version, e.g. <c>2.0.0</c>; the image tag and <c>version</c> label are <c>v{version}</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Gets the replica count; ignored (and omitted from the Deployment) when an HPA owns the server.</summary>
    public int? Replicas { get; init; }

    /// <summary>Gets the resources; the fleet defaults apply when absent.</summary>
    public ResourcesSpec? Resources { get; init; }

    /// <summary>Gets the number of tools the server exposes; <c>mcpfleet smoke</c> compares it with <c>tools/list</c>.</summary>
    public int Tools { get; init; }

    /// <summary>Gets the human description.</summary>
    public string Description { get; init; } = "";

    /// <summary>Gets the secrets, each an env var filled by the External Secrets Operator.</summary>
    public IReadOnlyList<SecretSpec> Secrets { get; init; } = [];

    /// <summary>Gets the GPU request, or <see langword="null"/> for a CPU server.</summary>
    public GpuSpec? Gpu { get; init; }

    /// <summary>Gets the autoscaling setting.</summary>
    public AutoscalingSetting Autoscaling { get; init; } = AutoscalingSetting.Default;

    /// <summary>Gets extra env vars for this server.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the servers this one calls; each gets a <c>&lt;DEP&gt;_MCP_URL</c> env var and an egress rule.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Gets the external destinations this server may reach, besides DNS and its dependencies.</summary>
    public IReadOnlyList<EgressRule> Egress { get; init; } = [];

    /// <summary>Gets a full image reference that overrides the fleet's pattern.</summary>
    public string? Image { get; init; }

    /// <summary>Gets the MCP session mode.</summary>
    public SessionMode SessionMode { get; init; } = SessionMode.Stateless;

    /// <summary>Gets probe timing overrides.</summary>
    public ProbeOverrides? Probes { get; init; }

    /// <summary>Gets the container command (overrides the image entrypoint).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Gets the container args.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Gets extra labels for the server's objects.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets how <c>mcpfleet up --local</c> starts this server as a process, or <see langword="null"/>.</summary>
    public LocalRunSpec? Run { get; init; }

    /// <summary>Gets how the server speaks MCP; for <see cref="ServerTransport.Stdio"/>, <see cref="Command"/> and <see cref="Args"/> start it.</summary>
    public ServerTransport Transport { get; init; } = ServerTransport.Http;

    /// <summary>Gets the <c>proxy</c> block, or <see langword="null"/> when not written.</summary>
    public ProxySpec? Proxy { get; init; }

    /// <summary>Gets whether <c>mcpfleet-proxy</c> fronts the server: <c>proxy.enabled</c>, else on for stdio and off for http.</summary>
    public bool UsesProxy => Proxy?.Enabled ?? Transport == ServerTransport.Stdio;

    /// <summary>Gets where each key was written, for diagnostics. <see cref="SourceMap.File"/> is the values file.</summary>
    public SourceMap Source { get; init; } = SourceMap.Empty;
}

/// <summary>A secret env var: <c>secretKey</c> in the ExternalSecret, <c>remoteRef.key</c> in the store.</summary>
/// <param name="Name">The env var name, e.g. <c>GONG_API_KEY</c>.</param>
/// <param name="RemoteRef">The key in the store, e.g. <c>sophia.business.gong.api_key</c>.</param>
public sealed record SecretSpec(string Name, string RemoteRef);

/// <summary>CPU and memory quantities, as Kubernetes quantity strings.</summary>
/// <param name="Cpu">CPU, e.g. <c>500m</c> or <c>1</c>.</param>
/// <param name="Memory">Memory, e.g. <c>1Gi</c>.</param>
public sealed record ResourceQuantities(string? Cpu, string? Memory);

/// <summary>Requests and limits.</summary>
/// <param name="Requests">The requests.</param>
/// <param name="Limits">The limits.</param>
public sealed record ResourcesSpec(ResourceQuantities? Requests, ResourceQuantities? Limits);

/// <summary>A GPU request: <c>nvidia.com/gpu</c> in requests and limits, and a node selector on the type.</summary>
/// <param name="Type">The <c>gpu-type</c> node label, e.g. <c>GH200</c>.</param>
/// <param name="Count">GPUs per pod.</param>
/// <param name="RuntimeClassName">An optional runtime class, e.g. <c>nvidia</c>.</param>
public sealed record GpuSpec(string Type, int Count = 1, string? RuntimeClassName = null);

/// <summary>HPA bounds and utilization targets (percent).</summary>
/// <param name="MinReplicas">Minimum replicas.</param>
/// <param name="MaxReplicas">Maximum replicas.</param>
/// <param name="Cpu">CPU utilization target, or <see langword="null"/> for none.</param>
/// <param name="Memory">Memory utilization target, or <see langword="null"/> for none.</param>
public sealed record AutoscalingSpec(int MinReplicas = 2, int MaxReplicas = 10, int? Cpu = 70, int? Memory = 80);

/// <summary>What a values file says about autoscaling: nothing (fleet default), <c>false</c>, or explicit bounds.</summary>
/// <param name="Mode">Which of the three it is.</param>
/// <param name="Spec">The bounds when <paramref name="Mode"/> is <see cref="AutoscalingMode.Custom"/>.</param>
public sealed record AutoscalingSetting(AutoscalingMode Mode, AutoscalingSpec? Spec = null)
{
    /// <summary>The key is absent: the fleet default applies (none for GPU servers).</summary>
    public static readonly AutoscalingSetting Default = new(AutoscalingMode.Default);

    /// <summary><c>autoscaling: false</c>.</summary>
    public static readonly AutoscalingSetting Disabled = new(AutoscalingMode.Disabled);
}

/// <summary>See <see cref="AutoscalingSetting"/>.</summary>
public enum AutoscalingMode
{
    /// <summary>Use the fleet default.</summary>
    Default,

    /// <summary>No HPA.</summary>
    Disabled,

    /// <summary>An HPA with the given bounds.</summary>
    Custom,
}

/// <summary>The MCP session mode of a server.</summary>
public enum SessionMode
{
    /// <summary>Any replica can answer any request; the default, and what an HPA needs.</summary>
    Stateless,

    /// <summary>Sessions live in one pod's memory; needs a single replica or session affinity.</summary>
    Stateful,
}

/// <summary>An external egress destination: a host name or a CIDR, and ports.</summary>
/// <param name="Host">A DNS name, e.g. <c>api.gong.io</c>; NetworkPolicy cannot match names, see docs/patterns.md.</param>
/// <param name="Cidr">A CIDR, e.g. <c>10.20.0.0/16</c>.</param>
/// <param name="Ports">TCP ports.</param>
public sealed record EgressRule(string? Host, string? Cidr, IReadOnlyList<int> Ports);

/// <summary>Probe path and timing overrides; <see langword="null"/> keeps the runtime contract's value.</summary>
public sealed record ProbeOverrides
{
    /// <summary>
    /// Gets the path the liveness and startup probes GET (<c>probes.healthPath</c>), for a server that does not serve
    /// <see cref="RuntimeContract.HealthPath"/>; <see langword="null"/> keeps that default.
    /// </summary>
    public string? HealthPath { get; init; }

    /// <summary>
    /// Gets the path the readiness probe GETs (<c>probes.readyPath</c>), for a server that does not serve
    /// <see cref="RuntimeContract.ReadyPath"/>; <see langword="null"/> keeps that default.
    /// </summary>
    public string? ReadyPath { get; init; }

    /// <summary>Gets the startup probe failure threshold (× period = the time a server may take to start).</summary>
    public int? StartupFailureThreshold { get; init; }

    /// <summary>Gets the startup probe period in seconds.</summary>
    public int? StartupPeriodSeconds { get; init; }

    /// <summary>Gets the liveness probe period in seconds.</summary>
    public int? LivenessPeriodSeconds { get; init; }

    /// <summary>Gets the readiness probe period in seconds.</summary>
    public int? ReadinessPeriodSeconds { get; init; }

    /// <summary>Gets the timeout of every probe in seconds.</summary>
    public int? TimeoutSeconds { get; init; }
}

/// <summary>How <c>mcpfleet up --local</c> starts a server.</summary>
/// <param name="Command">The executable, e.g. <c>dotnet</c>.</param>
/// <param name="Args">Its arguments.</param>
/// <param name="WorkingDirectory">The working directory, relative to the fleet directory.</param>
public sealed record LocalRunSpec(string Command, IReadOnlyList<string> Args, string? WorkingDirectory = null);
