using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
    public async Task BadConfig_ApiKeysBlank_ProcessExits2WithOneLine()
    {
        // D3: an ExternalSecret that synced an empty value used to turn authentication off.
        await using var server = ServerProcess.Launch("Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ApiKeys] = " , " });

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
        Assert.Equal(McpFleetEndpointRouteBuilderExtensions.InvalidConfigExitCode, server.ExitCode);
        var error = Assert.Single(server.Output.Split('\n'), l => l.StartsWith("mcpfleet: invalid server configuration:", StringComparison.Ordinal));
        Assert.Contains("MCP_API_KEYS is set but holds no key", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConfig_NameNotDns1123_ExitOptedOut_ThrowsNamingTheField()
    {
        using var config = new TempConfig("""{ "name": "Bad_Name", "version": "1.0.0" }""");
        var builder = InProcessServer.CreateBuilder(new Dictionary<string, string?> { [RuntimeContract.EnvironmentVariables.ConfigPath] = config.Path });
        builder.AddMcpFleetServer(o => o.ExitOnInvalidConfiguration = false);
        using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.MapMcpFleet());
        Assert.Contains("'name' 'Bad_Name' must be a DNS-1123 label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConfig_ExitOptedOutFromConfiguration_Throws()
    {
        // The opt-out is read from options that failed validation, so it also works from configuration.
        using var config = new TempConfig("""{ "name": "notes" }""");
        using var app = BuildWith(new() { [RuntimeContract.EnvironmentVariables.ConfigPath] = config.Path, ["McpFleet:ExitOnInvalidConfiguration"] = "false" });

        var error = Assert.Throws<OptionsValidationException>(() => app.MapMcpFleet());
        Assert.Contains("'version' is required", error.Message, StringComparison.Ordinal);
    }

    private static WebApplication BuildWith(Dictionary<string, string?> configuration)
    {
        var builder = InProcessServer.CreateBuilder(configuration);
        builder.AddMcpFleetServer();
        return builder.Build();
    }
}
