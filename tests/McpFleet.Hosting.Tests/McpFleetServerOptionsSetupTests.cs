namespace McpFleet.Hosting.Tests;

/// <summary>Config sources and precedence of <see cref="McpFleetServerOptions"/>, in process.</summary>
public sealed class McpFleetServerOptionsSetupTests
{
    [Fact]
    public void Setup_ConfigFileAndEnv_FillNameVersionPortsAndNamespace()
    {
        using var file = new TempConfig("""{ "name": "ai-memory", "version": "2.1.0", "port": 9000, "sessionMode": "StatefulForInitializeClients", "allowedHosts": ["memory.example.com"] }""");
        var options = TestOptions.Configure(file.Path, new() { ["METRICS_PORT"] = "9100", ["ENVIRONMENT"] = "prod", ["POD_NAMESPACE"] = "sophia-ai" });

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
        var options = TestOptions.Configure(file.Path, new() { ["SERVER_PORT"] = "7000" });

        Assert.Equal(7000, options.Port);
        Assert.Equal(RuntimeContract.DefaultMetricsPort, options.MetricsPort);
        Assert.Equal(McpFleetSessionMode.Stateless, options.SessionMode);
        Assert.Equal(TimeSpan.FromSeconds(RuntimeContract.Shutdown.DrainDelaySeconds), options.DrainDelay);
        Assert.Equal("default", options.Namespace);
    }
}
