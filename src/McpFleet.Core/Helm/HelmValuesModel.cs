using System.Text.Json.Serialization;

namespace McpFleet.Helm;

// The values format of deploy/helm/mcp-servers (values.schema.json), as typed records so the generator serializes
// instead of concatenating YAML. Property order is the order of the keys in the written file: the document's keys
// first, then McpFleet's, then the fleet block. Null and empty collections are left out.

/// <summary>The values of one release of the <c>mcp-servers</c> chart: one server plus the fleet-wide settings.</summary>
internal sealed record HelmServerValues
{
    public required string Name { get; init; }

    public required int Port { get; init; }

    public required int Replicas { get; init; }

    // Always double-quoted in the file (HelmValues), as the document writes it.
    public required string Version { get; init; }

    public required HelmResources Resources { get; init; }

    public required int Tools { get; init; }

    public required string Description { get; init; }

    public IReadOnlyList<HelmSecret>? Secrets { get; init; }

    public required int Phase { get; init; }

    public required string Image { get; init; }

    public required string SessionMode { get; init; }

    public HelmGpu? Gpu { get; init; }

    /// <summary><c>false</c>, or a <see cref="HelmAutoscaling"/>.</summary>
    public required object Autoscaling { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public IReadOnlyList<HelmDependency>? DependsOn { get; init; }

    public IReadOnlyList<HelmEgress>? Egress { get; init; }

    public HelmProbes? Probes { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>stdio</c>, or <see langword="null"/> for the chart's default <c>http</c>.</summary>
    public string? Transport { get; init; }

    public HelmProxy? Proxy { get; init; }

    public required HelmFleet Fleet { get; init; }

    /// <summary>Set only in the gateway's values file: the release is the fleet's gateway, not a server.</summary>
    public HelmGateway? Gateway { get; init; }
}

/// <summary>What makes a release the gateway: its rendered config file and the servers it fronts (its egress).</summary>
internal sealed record HelmGateway
{
    // Written by McpFleet (GatewayConfigJson), so the chart's ConfigMap and checksum are the renderer's bytes (any YAML
    // string style keeps them).
    public required string ConfigJson { get; init; }

    public required IReadOnlyList<HelmDependency> Upstreams { get; init; }
}

internal sealed record HelmResources(HelmQuantities Requests, HelmQuantities Limits);

internal sealed record HelmQuantities(string? Cpu, string? Memory);

internal sealed record HelmSecret(string Name, string RemoteRef);

internal sealed record HelmGpu(string Type, int Count, string? RuntimeClassName);

internal sealed record HelmAutoscaling(int MinReplicas, int MaxReplicas, int? Cpu, int? Memory);

internal sealed record HelmDependency(string Name, int Port);

internal sealed record HelmEgress(string? Host, string? Cidr, IReadOnlyList<int> Ports);

internal sealed record HelmProbes(
    string? HealthPath,
    string? ReadyPath,
    int? StartupFailureThreshold,
    int? StartupPeriodSeconds,
    int? LivenessPeriodSeconds,
    int? ReadinessPeriodSeconds,
    int? TimeoutSeconds);

internal sealed record HelmProxy(
    bool Enabled,
    string Image,
    int? MaxConcurrency,
    string? RequestTimeout,
    string? InitializeTimeout,
    string? StopTimeout,
    int? UpstreamPort);

internal sealed record HelmFleet
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string Environment { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public required HelmSecretStore SecretStore { get; init; }

    public required string ExternalSecretApiVersion { get; init; }

    public required int MetricsPort { get; init; }

    public IReadOnlyDictionary<string, string>? Callers { get; init; }

    public required string MonitoringNamespace { get; init; }
}

internal sealed record HelmSecretStore(string Name, string Kind, string? RefreshInterval);

/// <summary>Source-generated JSON metadata for the values (camelCase keys, nulls left out): the file is written without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HelmServerValues))]
[JsonSerializable(typeof(HelmAutoscaling))]
[JsonSerializable(typeof(bool))]
internal sealed partial class HelmValuesJsonContext : JsonSerializerContext;
