using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Local;

/// <summary>The fleet's gateway in a local run: <c>mcpfleet-gateway --config &lt;file&gt;</c> in front of the local servers.</summary>
/// <param name="Command">The <c>mcpfleet-gateway</c> executable (<see cref="CompanionProgram.Gateway"/>).</param>
/// <param name="Gateway">The resolved gateway.</param>
/// <param name="Upstreams">The fronted servers that run locally, in the gateway's order.</param>
public sealed record LocalGatewayPlan(string Command, ResolvedGateway Gateway, IReadOnlyList<ResolvedUpstream> Upstreams)
{
    /// <summary>The config the gateway gets: the rendered one, with each upstream at its local server's loopback port.</summary>
    /// <param name="ports">The MCP port of every local server, by name.</param>
    /// <returns>The JSON text.</returns>
    public string ConfigJson(IReadOnlyDictionary<string, int> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return GatewayConfigJson.Build(Gateway, Upstreams.Select(u => (u, $"http://127.0.0.1:{ports[u.Server]}{RuntimeContract.McpPath}")));
    }
}
