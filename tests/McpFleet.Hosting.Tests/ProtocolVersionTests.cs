using System.Reflection;
using McpFleet.Tests;

namespace McpFleet.Hosting.Tests;

/// <summary>Pins the protocol versions that docs/runtime-contract.md says SDK 2.4 supports.</summary>
public sealed class ProtocolVersionTests
{
    [Fact]
    public void SdkSupportedProtocolVersions_AreTheDocumentedOnes()
    {
        // Internal to the SDK, so read by reflection: the transport's list is what an HTTP client can negotiate.
        var handler = typeof(Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions).Assembly
            .GetType("ModelContextProtocol.AspNetCore.StreamableHttpHandler", throwOnError: true)!;
        var field = handler.GetField("s_supportedProtocolVersions", BindingFlags.NonPublic | BindingFlags.Static)!;
        var versions = ((System.Collections.IEnumerable)field.GetValue(null)!).Cast<string>().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"], versions);
        Assert.Contains("`2024-11-05`, `2025-03-26`, `2025-06-18`, `2025-11-25` and\n`2026-07-28`", File.ReadAllText(Path.Combine(Golden.RepoRoot(), "docs", "runtime-contract.md")), StringComparison.Ordinal);
    }
}
