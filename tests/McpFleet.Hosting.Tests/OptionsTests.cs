using Microsoft.Extensions.Configuration;

namespace McpFleet.Hosting.Tests;

/// <summary>Config sources, precedence and validation of <see cref="McpFleetServerOptions"/>, in process.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Setup_ConfigFileAndEnv_FillNameVersionPortsAndNamespace()
    {
        using var file = new TempConfig("""{ "name": "ai-memory", "version": "2.1.0", "port": 9000, "sessionMode": "StatefulForInitializeClients", "allowedHosts": ["memory.example.com"] }""");
        var options = Configure(file.Path, new() { ["METRICS_PORT"] = "9100", ["ENVIRONMENT"] = "prod", ["POD_NAMESPACE"] = "sophia-ai" });

        Assert.Equal("ai-memory", options.ServerName);
        Assert.Equal("2.1.0", options.ServerVersion);
        Assert.Equal(9000, options.Port);
        Assert.Equal(9100, options.MetricsPort);
        Assert.Equal("prod", options.Environment);
        Assert.Equal(McpFleetSessionMode.StatefulForInitializeClients, options.SessionMode);
        Assert.True(new McpFleetServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Contains("mcp-ai-memory.sophia-ai.svc.cluster.local", McpFleetRequestMiddleware.AllowedHostNames(options));
        Assert.Contains("memory.example.com", McpFleetRequestMiddleware.AllowedHostNames(options));
    }

    [Fact]
    public void Setup_ServerPortEnv_WinsOverConfigFile_AndDefaultsApply()
    {
        using var file = new TempConfig("""{ "name": "notes", "version": "1.0.0", "port": 9000 }""");
        var options = Configure(file.Path, new() { ["SERVER_PORT"] = "7000" });

        Assert.Equal(7000, options.Port);
        Assert.Equal(RuntimeContract.DefaultMetricsPort, options.MetricsPort);
        Assert.Equal(McpFleetSessionMode.Stateless, options.SessionMode);
        Assert.Equal(TimeSpan.FromSeconds(RuntimeContract.Shutdown.DrainDelaySeconds), options.DrainDelay);
        Assert.Equal("default", options.Namespace);
    }

    [Theory]
    [InlineData("""{ "name": "notes" }""", "'version' is required")]
    [InlineData("""{ "version": "1.0.0" }""", "'name' is required")]
    [InlineData("""{ "name": "notes", "version": "1", "sessionMode": "sticky" }""", "sessionMode 'sticky' is not one of")]
    [InlineData("{ \"name\": \"notes\",\n  \"version\": }", ":2:")]
    public void Validate_BadConfig_FailsNamingFileAndField(string json, string expected)
    {
        using var file = new TempConfig(json);
        var result = new McpFleetServerOptionsValidator().Validate(null, Configure(file.Path, []));
        Assert.True(result.Failed);
        Assert.Contains(file.Path, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadPortsAndMissingExplicitFile_Fail()
    {
        var missing = Configure("/nonexistent/server-config.json", new() { ["SERVER_PORT"] = "http" });
        var result = new McpFleetServerOptionsValidator().Validate(null, missing);
        Assert.Contains("/nonexistent/server-config.json: the server config file does not exist", result.FailureMessage, StringComparison.Ordinal);

        using var file = new TempConfig("""{ "name": "notes", "version": "1.0.0" }""");
        var same = Configure(file.Path, new() { ["SERVER_PORT"] = "9464" });
        Assert.Contains("MetricsPort 9464 must be a TCP port different from the MCP port 9464", new McpFleetServerOptionsValidator().Validate(null, same).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("SERVER_PORT: 'http' is not a TCP port", new McpFleetServerOptionsValidator().Validate(null, Configure(file.Path, new() { ["SERVER_PORT"] = "http" })).FailureMessage, StringComparison.Ordinal);
    }

    private static McpFleetServerOptions Configure(string configPath, Dictionary<string, string?> environment)
    {
        environment[RuntimeContract.EnvironmentVariables.ConfigPath] = configPath;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        var options = new McpFleetServerOptions();
        new McpFleetServerOptionsSetup(configuration).PostConfigure(null, options);
        return options;
    }

    private sealed class TempConfig : IDisposable
    {
        public TempConfig(string json)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mcpfleet-options-{Guid.NewGuid():N}.json");
            File.WriteAllText(Path, json);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
