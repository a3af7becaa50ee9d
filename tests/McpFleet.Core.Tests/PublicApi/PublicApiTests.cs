using McpFleet.Tests;

namespace McpFleet.Core.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Core against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Core_Should_Not_Change() =>
        Golden.Match("McpFleet.Core.txt", PublicSurface.Describe(typeof(McpFleet.Spec.FleetSpec).Assembly));
}
