using McpFleet.Spec;

namespace McpFleet.Local;

/// <summary>What <c>mcpfleet up --local</c> runs: the servers with a <c>run</c> command, by phase.</summary>
/// <param name="FleetName">The fleet name.</param>
/// <param name="FleetDirectory">The fleet directory; working directories resolve against it.</param>
/// <param name="Phases">The phases in start order.</param>
public sealed record LocalFleetPlan(string FleetName, string FleetDirectory, IReadOnlyList<LocalPhasePlan> Phases)
{
    /// <summary>Gets the gateway to start after every phase is ready, or <see langword="null"/>.</summary>
    public LocalGatewayPlan? Gateway { get; init; }

    /// <summary>Gets every server in start order.</summary>
    public IEnumerable<LocalServerPlan> Servers => Phases.SelectMany(p => p.Servers);
}

/// <summary>One phase of a local run.</summary>
/// <param name="Number">1-based phase number.</param>
/// <param name="Name">The phase name.</param>
/// <param name="Servers">Its servers.</param>
public sealed record LocalPhasePlan(int Number, string Name, IReadOnlyList<LocalServerPlan> Servers);

/// <summary>One server process.</summary>
/// <param name="Name">The server name.</param>
/// <param name="Version">The version.</param>
/// <param name="Port">The MCP port from the spec.</param>
/// <param name="Run">How to start it.</param>
/// <param name="Environment">
/// The env the renderer gives the container, in order (ENVIRONMENT, fleet env, server env...). <c>SERVER_PORT</c>,
/// <c>METRICS_PORT</c>, <c>POD_NAMESPACE</c> and <c>&lt;DEP&gt;_MCP_URL</c> are set by the runner and ignored here.
/// </param>
/// <param name="Dependencies">The servers it calls, by name.</param>
/// <param name="ConfigJson">The content of its <c>server-config.json</c>.</param>
public sealed record LocalServerPlan(
    string Name, string Version, int Port, LocalRunSpec Run,
    IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<string> Dependencies, string ConfigJson)
{
    /// <summary>Gets the liveness probe path (the runtime contract's <c>/health</c> unless the server serves another).</summary>
    public string HealthPath { get; init; } = RuntimeContract.HealthPath;

    /// <summary>Gets the readiness probe path (the runtime contract's <c>/ready</c> unless the server serves another).</summary>
    public string ReadyPath { get; init; } = RuntimeContract.ReadyPath;
}
