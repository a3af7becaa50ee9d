using System.Globalization;
using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>What every builder of one server needs: the fleet, the server, its base name, labels and selector.</summary>
internal sealed class ServerContext
{
    public ServerContext(ResolvedFleet fleet, ResolvedServer server)
        : this(fleet, server, RuntimeContract.ConfigFileName, ServerConfigJson.Build(server.Spec), WellKnown.ComponentValue, server.Dependencies)
    {
    }

    private ServerContext(
        ResolvedFleet fleet, ResolvedServer server, string configFileName, string configJson, string component, IReadOnlyList<ResolvedDependency> upstreams)
    {
        Fleet = fleet;
        Server = server;
        Name = server.ObjectName;
        ConfigFileName = configFileName;
        ConfigJson = configJson;
        Component = component;
        Upstreams = upstreams;
    }

    /// <summary>
    /// The gateway as a pod of the fleet: the same hardened Deployment, Service, PDB, HPA and NetworkPolicy as a server,
    /// with <c>gateway.json</c> for its config, its keys as secrets, the fronted servers as its egress, and none of
    /// the fleet's server env vars (the gateway reads only its config).
    /// </summary>
    public static ServerContext ForGateway(ResolvedFleet fleet, ResolvedGateway gateway)
    {
        var jwt = gateway.Spec.Auth?.Jwt;
        var spec = new ServerSpec
        {
            Name = FleetDefaults.GatewayName,
            Port = gateway.Port,
            Version = FleetDefaults.Version,
            Secrets = gateway.Secrets,
            Args = ["--config", $"{RuntimeContract.ConfigDirectory}/{GatewayConfigJson.FileName}"],
            // The JWKS is fetched from the identity provider, outside the cluster.
            Egress = jwt is not null ? [new EgressRule(new Uri(jwt.JwksUrl).Host, null, [new Uri(jwt.JwksUrl).Port])] : [],
        };
        var server = new ResolvedServer
        {
            Spec = spec,
            Phase = gateway.Phase,
            Image = gateway.Image,
            Replicas = gateway.Replicas,
            Resources = gateway.Resources,
            Autoscaling = gateway.Autoscaling,
            Dependencies = [],
        };
        var upstreams = gateway.Upstreams.Select(u => new ResolvedDependency(u.Server, u.Port, u.Url)).ToList();
        return new ServerContext(fleet with { Env = [] }, server, GatewayConfigJson.FileName, GatewayConfigJson.Build(gateway), WellKnown.GatewayComponentValue, upstreams);
    }

    public ResolvedFleet Fleet { get; }

    public ResolvedServer Server { get; }

    public ServerSpec Spec => Server.Spec;

    /// <summary>Gets the base object name, <c>mcp-{name}</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the content of the config file (<c>server-config.json</c>, or the gateway's <c>gateway.json</c>).</summary>
    public string ConfigJson { get; }

    /// <summary>Gets the config file's name in the ConfigMap.</summary>
    public string ConfigFileName { get; }

    /// <summary>Gets the <c>app.kubernetes.io/component</c> label.</summary>
    public string Component { get; }

    /// <summary>Gets the MCP servers this pod calls (a server's dependencies, the gateway's fronted servers): its egress.</summary>
    public IReadOnlyList<ResolvedDependency> Upstreams { get; }

    public string ConfigMapName => Name + "-config";

    public string SecretName => Name + "-secrets";

    public bool HasSecrets => Spec.Secrets.Count > 0;

    /// <summary>Gets the labels of every object and of the pod template, in the contract's order, then the extras by key.</summary>
    public Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>(10 + Spec.Labels.Count, StringComparer.Ordinal)
        {
            [RuntimeContract.Labels.App] = Name,
            [RuntimeContract.Labels.Tier] = RuntimeContract.Labels.TierMcp,
            [RuntimeContract.Labels.Version] = "v" + Spec.Version,
            [WellKnown.NameLabel] = Name,
            [WellKnown.InstanceLabel] = Name,
            [WellKnown.VersionLabel] = Spec.Version,
            [WellKnown.ComponentLabel] = Component,
            [WellKnown.PartOfLabel] = Fleet.Name,
            [WellKnown.ManagedByLabel] = RuntimeContract.Labels.ManagedByValue,
            [WellKnown.PhaseLabel] = Server.Phase.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Spec.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            // The contract's labels win: the selector and the managed-by label must not be overridden.
            labels.TryAdd(key, value);
        }

        return labels;
    }

    /// <summary>Gets the selector labels, <c>{app: mcp-{name}}</c>: the document's selector, stable across versions.</summary>
    public Dictionary<string, string> Selector() => new(StringComparer.Ordinal) { [RuntimeContract.Labels.App] = Name };

    public V1ObjectMeta Metadata(string name) => new()
    {
        Name = name,
        NamespaceProperty = Fleet.Namespace,
        Labels = Labels(),
    };
}

/// <summary>Well-known label keys and values that are not part of the runtime contract.</summary>
internal static class WellKnown
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string InstanceLabel = "app.kubernetes.io/instance";
    public const string VersionLabel = "app.kubernetes.io/version";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ComponentValue = "mcp-server";
    public const string GatewayComponentValue = "mcp-gateway";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string PhaseLabel = "mcpfleet.io/phase";
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";
    public const string HostnameTopologyKey = "kubernetes.io/hostname";
    public const string GpuResource = "nvidia.com/gpu";
    public const string GpuTypeLabel = "gpu-type";
    public const string PrometheusScrape = "prometheus.io/scrape";
    public const string PrometheusPort = "prometheus.io/port";
    public const string PrometheusPath = "prometheus.io/path";
    public const string Tcp = "TCP";
    public const string Udp = "UDP";
}
