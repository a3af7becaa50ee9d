namespace McpFleet.Local.Supervision;

/// <summary>What every supervisor of one run shares.</summary>
/// <param name="Options">Timings.</param>
/// <param name="Time">The clock of every wait.</param>
/// <param name="Http">The client of the probes.</param>
/// <param name="Progress">Where events and output lines go.</param>
/// <param name="Changed">Called after every status change, to rewrite the state file.</param>
internal sealed record SupervisorContext(LocalRunOptions Options, TimeProvider Time, HttpClient Http, ILocalProgress Progress, Action Changed);

/// <summary>One server's process: what to start, where, with which env and ports.</summary>
/// <param name="Phase">Its phase.</param>
/// <param name="Plan">The server.</param>
/// <param name="WorkingDirectory">The absolute working directory.</param>
/// <param name="Environment">Changes to the inherited environment (null removes a variable).</param>
/// <param name="Port">The MCP port.</param>
/// <param name="MetricsPort">The metrics port.</param>
internal sealed record ServerLaunch(
    LocalPhasePlan Phase, LocalServerPlan Plan, string WorkingDirectory, IReadOnlyDictionary<string, string?> Environment, int Port, int MetricsPort);
