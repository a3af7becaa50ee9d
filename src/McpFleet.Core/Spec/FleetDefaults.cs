namespace McpFleet.Spec;

/// <summary>
/// The deployment-patterns document's values, in one place: what a fleet gets for the settings it leaves out, what
/// <c>import compose</c> writes when it is not told otherwise, and what messages and lint advice quote.
/// </summary>
/// <remarks>
/// The Helm chart's <c>values.yaml</c> spells the fleet-wide ones again, as Helm needs them; a test keeps it equal to
/// these. The example fleet (<c>examples/sophia-ai</c>) is the document's own data, not defaults.
/// </remarks>
public static class FleetDefaults
{
    /// <summary>The document's namespace, which <c>import compose</c> writes when given none.</summary>
    public const string Namespace = "sophia-ai";

    /// <summary>The first part of the document's remoteRefs (<c>sophia.business.gong.api_key</c>), which <c>import compose</c> uses when given none.</summary>
    public const string SecretPrefix = "sophia";

    /// <summary>The <c>gpu-type</c> node label of the document's GPU servers, which <c>import compose</c> writes when Compose names no GPU type.</summary>
    public const string GpuType = "GH200";

    /// <summary>The image pattern: the document's registry and naming.</summary>
    public const string ImagePattern = "scoobyjava15/mcp-{name}:v{version}";

    /// <summary>The value of <c>ENVIRONMENT</c>.</summary>
    public const string Environment = "prod";

    /// <summary>The namespace allowed to scrape the metrics port.</summary>
    public const string MonitoringNamespace = "monitoring";

    /// <summary>The ExternalSecret apiVersion.</summary>
    public const string ExternalSecretApiVersion = "external-secrets.io/v1";

    /// <summary>How often the External Secrets Operator refreshes a secret.</summary>
    public const string RefreshInterval = "1h";

    /// <summary>Replicas of a server without an HPA ("default to 2 for HA").</summary>
    public const int Replicas = 2;

    /// <summary>Replicas of a GPU or stateful server ("GPU servers typically single replica").</summary>
    public const int SingleReplica = 1;

    /// <summary>Gets the MCP port range.</summary>
    public static PortRange Ports { get; } = new(9000, 9020);

    /// <summary>Gets the labels of the pods allowed to call the servers: the document's backend, <c>app: sophia-backend</c> (<c>import compose</c>'s default).</summary>
    public static IReadOnlyDictionary<string, string> Callers { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["app"] = "sophia-backend" };

    /// <summary>Gets the secret store used when <c>fleet.yaml</c> names none (allowed only when no server has secrets).</summary>
    public static SecretStoreSpec SecretStore { get; } = new("pulumi-esc", "SecretStore", RefreshInterval);

    /// <summary>Gets the resources of the document's template: 500m/1Gi requested, 1/2Gi limit.</summary>
    public static ResourcesSpec Resources { get; } = new(new ResourceQuantities("500m", "1Gi"), new ResourceQuantities("1", "2Gi"));

    /// <summary>The gateway's object base name is <c>mcp-gateway</c>, so no server may be named this while a gateway is on.</summary>
    public const string GatewayName = "gateway";

    /// <summary>
    /// The gateway's default MCP port: the highest port of the fleet's MCP range that no server uses, so the
    /// document's port-range rules (NetworkPolicy, lint) hold for it too and servers added at the low end never move it.
    /// </summary>
    /// <param name="ports">The fleet's MCP port range.</param>
    /// <param name="used">The servers' ports.</param>
    /// <returns>The port, or <see langword="null"/> when every port of the range is taken.</returns>
    public static int? GatewayPort(PortRange ports, IEnumerable<int> used)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var taken = used.ToHashSet();
        for (var port = ports.Max; port >= ports.Min; port--)
        {
            if (!taken.Contains(port))
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>The repository of the gateway image below the fleet's registry (as <c>eng/images.sh</c> names it).</summary>
    public const string GatewayRepository = "mcpfleet/gateway";

    /// <summary>The repository of the proxy image below the fleet's registry (as <c>eng/images.sh</c> names it).</summary>
    public const string ProxyRepository = "mcpfleet/proxy";

    /// <summary>Gets McpFleet's own version (<c>MAJOR.MINOR.PATCH</c>), the tag of its images.</summary>
    public static string Version { get; } = typeof(FleetDefaults).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Gets the gateway's resources: it holds connections and a catalog, not work (idle RSS well under 64 MiB).</summary>
    public static ResourcesSpec GatewayResources { get; } = new(new ResourceQuantities("250m", "256Mi"), new ResourceQuantities("1", "512Mi"));

    /// <summary>
    /// The default gateway image: <c>&lt;registry&gt;/mcpfleet/gateway:v&lt;McpFleet version&gt;</c>, where the registry is the
    /// first path segment of the fleet's image pattern (<c>scoobyjava15</c> of <c>scoobyjava15/mcp-{name}:v{version}</c>).
    /// </summary>
    /// <param name="imagePattern">The fleet's image pattern.</param>
    /// <returns>The image reference.</returns>
    public static string GatewayImage(string imagePattern) => OwnImage(imagePattern, GatewayRepository);

    /// <summary>
    /// Merges resources field by field: the server's value, else the fleet default's, else <see cref="Resources"/>.
    /// </summary>
    /// <param name="server">The server's resources, if written.</param>
    /// <param name="fleet">The fleet's default resources, if written.</param>
    /// <returns>Resources with every field set.</returns>
    public static ResourcesSpec MergeResources(ResourcesSpec? server, ResourcesSpec? fleet) => new(
        new ResourceQuantities(
            server?.Requests?.Cpu ?? fleet?.Requests?.Cpu ?? Resources.Requests!.Cpu,
            server?.Requests?.Memory ?? fleet?.Requests?.Memory ?? Resources.Requests!.Memory),
        new ResourceQuantities(
            server?.Limits?.Cpu ?? fleet?.Limits?.Cpu ?? Resources.Limits!.Cpu,
            server?.Limits?.Memory ?? fleet?.Limits?.Memory ?? Resources.Limits!.Memory));

    /// <summary>Gets the requests and limits of the proxy's own containers (its sidecar and its install step).</summary>
    /// <remarks>The proxy idles at about 25 MiB (docs/proxy.md); a stdio proxy shares its server's container and resources.</remarks>
    public static ResourcesSpec ProxyResources { get; } = new(new ResourceQuantities("50m", "64Mi"), new ResourceQuantities("500m", "256Mi"));

    /// <summary>
    /// The default image of <c>mcpfleet-proxy</c>, <c>&lt;fleet registry&gt;/mcpfleet/proxy:v&lt;McpFleet version&gt;</c>, the
    /// layout of <c>eng/images.sh</c>. The fleet registry is the first part of the fleet's image pattern
    /// (<c>scoobyjava15</c> of <c>scoobyjava15/mcp-{name}:v{version}</c>, <c>localhost:5000</c> of
    /// <c>localhost:5000/mcpfleet/{name}:v{version}</c>); a pattern without <c>/</c> gives <c>mcpfleet/proxy</c>.
    /// </summary>
    /// <param name="imagePattern">The fleet's image pattern (<c>image</c> in <c>fleet.yaml</c>, else <see cref="ImagePattern"/>).</param>
    /// <returns>The image reference.</returns>
    public static string ProxyImage(string imagePattern) => OwnImage(imagePattern, ProxyRepository);

    /// <summary>One of McpFleet's own images in the fleet's registry: the first path segment of the pattern, if any.</summary>
    private static string OwnImage(string imagePattern, string repository)
    {
        ArgumentNullException.ThrowIfNull(imagePattern);
        var slash = imagePattern.IndexOf('/', StringComparison.Ordinal);
        var registry = slash > 0 ? imagePattern[..(slash + 1)] : "";
        return $"{registry}{repository}:v{Version}";
    }
}
