using Microsoft.AspNetCore.Builder;

namespace McpFleet.Hosting.Tests;

/// <summary><c>MapMcpFleet</c>: the missing <c>AddMcpFleetServer</c> and a bad config.</summary>
public sealed class McpFleetEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public void MapMcpFleet_WithoutAddMcpFleetServer_FailsNamingIt()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapMcpFleet());
        Assert.Contains("AddMcpFleetServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfig_InvalidJson_ExitsNonZeroNamingFileLineAndColumn()
    {
        var config = Path.Combine(Path.GetTempPath(), $"mcpfleet-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, "{\n  \"name\": \"bad\",\n  \"version\": 1.0.0\n}\n", TestContext.Current.CancellationToken);
        try
        {
            await using var server = ServerProcess.Launch("Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ConfigPath] = config });
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
            Assert.Equal(2, server.ExitCode);
            Assert.Contains($"mcpfleet: invalid server configuration: {config}:3:", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task BadConfig_NameNotDns1123_ExitsNonZeroNamingTheField()
    {
        var config = Path.Combine(Path.GetTempPath(), $"mcpfleet-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "name": "Bad_Name", "version": "1.0.0" }""", TestContext.Current.CancellationToken);
        try
        {
            await using var server = ServerProcess.Launch("Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ConfigPath] = config });
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
            Assert.Equal(2, server.ExitCode);
            Assert.Contains("'name' 'Bad_Name' must be a DNS-1123 label", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
