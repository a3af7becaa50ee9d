using System.Globalization;
using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>What every builder of one server needs: the fleet, the server, its base name, labels and selector.</summary>
internal sealed class ServerContext
{
    public ServerContext(ResolvedFleet fleet, ResolvedServer server)
    {
        Fleet = fleet;
        Server = server;
        Name = server.ObjectName;
        ConfigJson = ServerConfigJson.Build(server.Spec);
    }

    public ResolvedFleet Fleet { get; }

    public ResolvedServer Server { get; }

    public ServerSpec Spec => Server.Spec;

    /// <summary>Gets the base object name, <c>mcp-{name}</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the content of <c>server-config.json</c>.</summary>
    public string ConfigJson { get; }

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
            [WellKnown.ComponentLabel] = WellKnown.ComponentValue,
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
