using McpFleet.Kubernetes;
using McpFleet.Tests;

namespace McpFleet.Kubernetes.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Kubernetes against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Kubernetes_Should_Not_Change() =>
        Golden.Match("McpFleet.Kubernetes.txt", PublicSurface.Describe(typeof(DeployOptions).Assembly));
}
