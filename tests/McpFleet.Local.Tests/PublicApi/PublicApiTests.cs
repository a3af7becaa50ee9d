using McpFleet.Tests;

namespace McpFleet.Local.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Local against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Local_Should_Not_Change() =>
        Golden.Match("McpFleet.Local.txt", PublicSurface.Describe(typeof(LocalFleetRunner).Assembly));
}
