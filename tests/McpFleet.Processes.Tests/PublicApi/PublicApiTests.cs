using McpFleet.Tests;

namespace McpFleet.Processes.Tests.PublicApi;

/// <summary>The public surface of McpFleet.Processes against a golden file; accept a change with MCPFLEET_UPDATE_GOLDEN=1.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_Processes_Should_Not_Change() =>
        Golden.Match("McpFleet.Processes.txt", PublicSurface.Describe(typeof(ChildProcess).Assembly));
}
