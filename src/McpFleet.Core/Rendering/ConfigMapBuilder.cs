using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>The document's ConfigMap: <c>server-config.json</c> with exactly its fields.</summary>
internal static class ConfigMapBuilder
{
    public static V1ConfigMap Build(ServerContext c) => new()
    {
        ApiVersion = "v1",
        Kind = V1ConfigMap.KubeKind,
        Metadata = c.Metadata(c.ConfigMapName),
        Data = new Dictionary<string, string>(1, StringComparer.Ordinal) { [c.ConfigFileName] = c.ConfigJson },
    };
}
