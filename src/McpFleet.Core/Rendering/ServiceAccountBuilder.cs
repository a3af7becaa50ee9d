using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>A dedicated ServiceAccount per server, without a mounted API token (MCP servers do not call the API server).</summary>
internal static class ServiceAccountBuilder
{
    public static V1ServiceAccount Build(ServerContext c) => new()
    {
        ApiVersion = "v1",
        Kind = V1ServiceAccount.KubeKind,
        Metadata = c.Metadata(c.Name),
        AutomountServiceAccountToken = false,
    };
}
