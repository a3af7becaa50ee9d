using McpFleet.Hosting;
using McpFleet.Tests;

namespace McpFleet.Hosting.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Hosting against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Hosting_Should_Not_Change() =>
        Golden.Match("McpFleet.Hosting.txt", PublicSurface.Describe(typeof(McpFleetServerOptions).Assembly));
}
