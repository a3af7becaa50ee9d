using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>Validates <see cref="McpFleetServerOptions"/> at start (<c>ValidateOnStart</c>), so a bad config stops the process.</summary>
internal sealed class McpFleetServerOptionsValidator : IValidateOptions<McpFleetServerOptions>
{
    public ValidateOptionsResult Validate(string? name, McpFleetServerOptions options)
    {
        List<string> errors = [];
        if (options.ConfigError is { } configError)
        {
            errors.Add(configError);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.ServerName))
            {
                errors.Add(options.LoadedConfigPath is { } p
                    ? $"{p}: 'name' is required"
                    : $"{options.ConfigPath}: the server config file does not exist and no ServerName was set in code (mount the ConfigMap or set {RuntimeContract.EnvironmentVariables.ConfigPath})");
            }
            else if (!IsDns1123Label(options.ServerName))
            {
                errors.Add($"{Where(options)}'name' '{options.ServerName}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
            }

            if (string.IsNullOrWhiteSpace(options.ServerVersion) && options.ServerName is not null)
            {
                errors.Add($"{Where(options)}'version' is required");
            }
        }

        if (options.Port is <= 0 or > 65535)
        {
            errors.Add($"Port {options.Port} is not a TCP port");
        }

        if (options.MetricsPort is <= 0 or > 65535 || options.MetricsPort == options.Port)
        {
            errors.Add($"MetricsPort {options.MetricsPort} must be a TCP port different from the MCP port {options.Port}");
        }

        if (options.DrainDelay < TimeSpan.Zero || options.ShutdownTimeout <= TimeSpan.Zero)
        {
            errors.Add("DrainDelay must be >= 0 and ShutdownTimeout > 0");
        }

        if (options.ApiKeyHashes is { Length: 0 })
        {
            errors.Add($"{RuntimeContract.EnvironmentVariables.ApiKeys} is set but holds no key (it is empty, blank or only commas): set at least one key, or remove the variable to run without API keys");
        }

        if (options.SessionIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("SessionIdleTimeout must be > 0");
        }

        if (options.MaxSessions <= 0 || options.MaxSessionsPerCaller <= 0)
        {
            errors.Add($"MaxSessions ({options.MaxSessions}) and MaxSessionsPerCaller ({options.MaxSessionsPerCaller}) must be > 0");
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            errors.Add("MaxRequestBodyBytes must be > 0");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The options, or <see langword="null"/> while they are invalid. Build() reads HostOptions and KestrelServerOptions
    /// before <c>MapMcpFleet</c> can report a bad config with a clear message; until then an invalid config leaves those
    /// defaults alone instead of crashing Build().
    /// </summary>
    /// <param name="options">The options accessor.</param>
    /// <returns>The valid options, or null.</returns>
    internal static McpFleetServerOptions? TryGetValid(IOptions<McpFleetServerOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static string Where(McpFleetServerOptions options) => options.LoadedConfigPath is { } p ? p + ": " : string.Empty;

    private static bool IsDns1123Label(string value)
    {
        if (value.Length is 0 or > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
