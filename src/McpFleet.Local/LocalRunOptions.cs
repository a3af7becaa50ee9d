namespace McpFleet.Local;

/// <summary>Timings and port policy of a local run. The defaults follow the runtime contract's probe timings.</summary>
public sealed record LocalRunOptions
{
    /// <summary>Gets how long a server may take to answer <c>/ready</c> after it starts (the startup probe's 2 s × 30).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(RuntimeContract.Probes.StartupPeriodSeconds * RuntimeContract.Probes.StartupFailureThreshold);

    /// <summary>Gets the period of the probes until a (re)started server has answered once (the startup probe's 2 s).</summary>
    public TimeSpan StartupPeriod { get; init; } = TimeSpan.FromSeconds(RuntimeContract.Probes.StartupPeriodSeconds);

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

    /// <summary>
    /// Gets the address the servers bind, given to each as <c>McpFleet__BindAddress</c> (McpFleet.Hosting's
    /// <c>BindAddress</c> option), over any value in the spec's env: loopback by default, so a developer's servers,
    /// which run without API keys and with the developer's exported secrets, are not reachable from the network.
    /// </summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Gets a value indicating whether MCP ports are picked free instead of taken from the spec (tests, parallel fleets).</summary>
    public bool AnyPort { get; init; }

    /// <summary>Gets the state file that <c>mcpfleet status --local</c> reads; null picks <see cref="State.LocalState.DefaultPath"/>.</summary>
    public string? StateFile { get; init; }
}
