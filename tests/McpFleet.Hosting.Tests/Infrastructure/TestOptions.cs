using Microsoft.Extensions.Configuration;

namespace McpFleet.Hosting.Tests;

/// <summary>Runs <see cref="McpFleetServerOptionsSetup"/> on a config file and an environment, as the host does.</summary>
internal static class TestOptions
{
    public static McpFleetServerOptions Configure(string configPath, Dictionary<string, string?> environment)
    {
        environment[RuntimeContract.EnvironmentVariables.ConfigPath] = configPath;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
        var options = new McpFleetServerOptions();
        new McpFleetServerOptionsSetup(configuration).PostConfigure(null, options);
        return options;
    }
}

/// <summary>A server-config.json in the temp directory, deleted on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig(string json)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mcpfleet-options-{Guid.NewGuid():N}.json");
        File.WriteAllText(Path, json);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
