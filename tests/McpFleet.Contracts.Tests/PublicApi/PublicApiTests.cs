using McpFleet.Tests;

namespace McpFleet.Contracts.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Contracts against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Contracts_Should_Not_Change() =>
        Golden.Match("McpFleet.Contracts.txt", PublicSurface.Describe(typeof(RuntimeContract).Assembly));
}
