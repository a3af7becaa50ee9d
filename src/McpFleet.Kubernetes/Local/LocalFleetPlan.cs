using McpFleet.Spec;

namespace McpFleet.Kubernetes.Local;

/// <summary>What <c>mcpfleet up --local</c> runs: the servers with a <c>run</c> command, by phase.</summary>
/// <param name="FleetName">The fleet name.</param>
/// <param name="FleetDirectory">The fleet directory; working directories resolve against it.</param>
/// <param name="Phases">The phases in start order.</param>
public sealed record LocalFleetPlan(string FleetName, string FleetDirectory, IReadOnlyList<LocalPhasePlan> Phases)
{
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
    IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<string> Dependencies, string ConfigJson);

/// <summary>Timings and port policy of a local run. The defaults follow the runtime contract's probe timings.</summary>
public sealed record LocalRunOptions
{
    /// <summary>Gets how long a server may take to answer <c>/ready</c> after it starts (the startup probe's 2 s × 30).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(RuntimeContract.Probes.StartupPeriodSeconds * RuntimeContract.Probes.StartupFailureThreshold);

    /// <summary>Gets the period of the <c>/health</c> check.</summary>
    public TimeSpan HealthPeriod { get; init; } = TimeSpan.FromSeconds(RuntimeContract.Probes.LivenessPeriodSeconds);

    /// <summary>Gets the consecutive <c>/health</c> failures that restart a server.</summary>
    public int HealthFailureThreshold { get; init; } = RuntimeContract.Probes.LivenessFailureThreshold;

    /// <summary>Gets the first restart delay; it doubles per restart up to <see cref="MaxBackoff"/> (the kubelet's 10 s … 5 min).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the longest restart delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets how long a stopping server may take after SIGTERM before it is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(RuntimeContract.Shutdown.TerminationGracePeriodSeconds);

    /// <summary>Gets a value indicating whether MCP ports are picked free instead of taken from the spec (tests, parallel fleets).</summary>
    public bool AnyPort { get; init; }

    /// <summary>Gets the state file that <c>mcpfleet status --local</c> reads; null picks <see cref="LocalState.DefaultPath"/>.</summary>
    public string? StateFile { get; init; }
}
