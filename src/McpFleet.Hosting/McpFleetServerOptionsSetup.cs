using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>
/// Fills <see cref="McpFleetServerOptions"/> from <c>server-config.json</c> and the runtime-contract env vars.
/// Runs after configuration binding and the caller's delegate, and fills only what they left unset.
/// </summary>
internal sealed class McpFleetServerOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<McpFleetServerOptions>
{
    private const int FallbackPort = 8080;

    public void PostConfigure(string? name, McpFleetServerOptions options)
    {
        var explicitPath = options.ConfigPath ?? NonEmpty(configuration[RuntimeContract.EnvironmentVariables.ConfigPath]);
        var path = explicitPath ?? RuntimeContract.ConfigPath;
        options.ConfigPath = path;
        var config = Load(path, explicitPath is not null, options);

        options.ServerName ??= NonEmpty(config?.Name);
        options.ServerVersion ??= NonEmpty(config?.Version);
        options.Description ??= NonEmpty(config?.Description);
        options.Environment ??= NonEmpty(configuration[RuntimeContract.EnvironmentVariables.Environment]);
        options.Namespace ??= NonEmpty(configuration[RuntimeContract.EnvironmentVariables.Namespace]) ?? NonEmpty(config?.Namespace) ?? "default";
        foreach (var host in config?.AllowedHosts ?? [])
        {
            options.AllowedHosts.Add(host);
        }

        // The rendered pod says which mode the manifests assume; the config file's sessionMode serves hand-made setups.
        var envMode = NonEmpty(configuration[RuntimeContract.EnvironmentVariables.SessionMode]);
        if (options.SessionMode is null && (envMode ?? config?.SessionMode) is { Length: > 0 } mode)
        {
            if (Enum.TryParse<McpFleetSessionMode>(mode, ignoreCase: true, out var parsed))
            {
                options.SessionMode = parsed;
            }
            else
            {
                var source = envMode is not null ? RuntimeContract.EnvironmentVariables.SessionMode : $"{path}: sessionMode";
                options.ConfigError ??= $"{source} '{mode}' is not one of Stateless, Stateful, StatefulForInitializeClients";
            }
        }

        // Present but empty is not "no keys": an ExternalSecret that synced an empty value must not turn authentication off.
        if (configuration[RuntimeContract.EnvironmentVariables.ApiKeys] is { } keys)
        {
            options.ApiKeyHashes = McpFleetApiKeys.Parse(keys);
        }

        options.SessionMode ??= McpFleetSessionMode.Stateless;
        if (options.Port == 0)
        {
            options.Port = ReadPort(RuntimeContract.EnvironmentVariables.ServerPort, options) ?? config?.Port ?? FallbackPort;
        }

        if (options.MetricsPort == 0)
        {
            options.MetricsPort = ReadPort(RuntimeContract.EnvironmentVariables.MetricsPort, options) ?? RuntimeContract.DefaultMetricsPort;
        }
    }

    private static ServerConfig? Load(string path, bool required, McpFleetServerOptions options)
    {
        if (!File.Exists(path))
        {
            if (required)
            {
                options.ConfigError = $"{path}: the server config file does not exist (set by {RuntimeContract.EnvironmentVariables.ConfigPath} or McpFleetServerOptions.ConfigPath)";
            }

            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var config = JsonSerializer.Deserialize(stream, ServerConfigJsonContext.Default.ServerConfig);
            options.LoadedConfigPath = path;
            if (config is null)
            {
                options.ConfigError = $"{path}: the server config is empty (expected a JSON object with name and version)";
            }

            return config;
        }
        catch (JsonException ex)
        {
            options.ConfigError = $"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: invalid server config JSON: {ex.Message}";
            return null;
        }
        catch (IOException ex)
        {
            options.ConfigError = $"{path}: cannot read the server config: {ex.Message}";
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            options.ConfigError = $"{path}: cannot read the server config: {ex.Message}";
            return null;
        }
    }

    private int? ReadPort(string variable, McpFleetServerOptions options)
    {
        var raw = NonEmpty(configuration[variable]);
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return port;
        }

        options.ConfigError ??= $"{variable}: '{raw}' is not a TCP port (1-65535)";
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
