using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Local;

/// <summary>The fleet's gateway in a local run: <c>mcpfleet-gateway --config &lt;file&gt;</c> in front of the local servers.</summary>
/// <param name="Command">The <c>mcpfleet-gateway</c> executable (<see cref="FindCommand"/>).</param>
/// <param name="Gateway">The resolved gateway.</param>
/// <param name="Upstreams">The fronted servers that run locally, in the gateway's order.</param>
public sealed record LocalGatewayPlan(string Command, ResolvedGateway Gateway, IReadOnlyList<ResolvedUpstream> Upstreams)
{
    /// <summary>The environment variable that names the <c>mcpfleet-gateway</c> executable.</summary>
    public const string CommandVariable = "MCPFLEET_GATEWAY";

    /// <summary>The executable's file name.</summary>
    public const string ExecutableName = "mcpfleet-gateway";

    /// <summary>The config the gateway gets: the rendered one, with each upstream at its local server's loopback port.</summary>
    /// <param name="ports">The MCP port of every local server, by name.</param>
    /// <returns>The JSON text.</returns>
    public string ConfigJson(IReadOnlyDictionary<string, int> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return GatewayConfigJson.Build(Gateway, Upstreams.Select(u => (u, $"http://127.0.0.1:{ports[u.Server]}{RuntimeContract.McpPath}")));
    }

    /// <summary>
    /// Finds <c>mcpfleet-gateway</c>: the file <see cref="CommandVariable"/> names, else the one in
    /// <paramref name="besides"/> (the directory of <c>mcpfleet</c> itself).
    /// </summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="besides">The directory to look in when the variable is not set.</param>
    /// <param name="error">Why it was not found, in one line, or <see langword="null"/>.</param>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public static string? FindCommand(Func<string, string?> environment, string besides, out string? error)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(CommandVariable) is { Length: > 0 } named)
        {
            var full = Path.GetFullPath(named);
            error = File.Exists(full) ? null : $"{CommandVariable}={named}: no such file";
            return error is null ? full : null;
        }

        var beside = Path.Combine(besides, ExecutableName);
        error = File.Exists(beside) ? null : $"{ExecutableName} is not in {besides} and {CommandVariable} is not set; set it to the gateway's executable";
        return error is null ? beside : null;
    }
}
