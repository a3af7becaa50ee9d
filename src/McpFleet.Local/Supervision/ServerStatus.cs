namespace McpFleet.Local.Supervision;

/// <summary>Where a supervised server is in its life, as a kubelet would say it of a container.</summary>
internal enum ServerState
{
    /// <summary>The process runs and has not answered its readiness probe yet.</summary>
    Starting,

    /// <summary>The readiness probe answers 200.</summary>
    Ready,

    /// <summary>Healthy, but the readiness probe does not answer 200.</summary>
    NotReady,

    /// <summary>The liveness probe failed; not yet as often as restarts it.</summary>
    Unhealthy,

    /// <summary>Waiting out the restart delay.</summary>
    Backoff,

    /// <summary>SIGTERM sent; waiting for the process group to exit.</summary>
    Stopping,

    /// <summary>Nothing runs.</summary>
    Stopped,

    /// <summary>The command cannot be started.</summary>
    Failed,
}

/// <summary>One immutable look at a supervised server; the supervisor swaps it whole under its lock.</summary>
/// <param name="State">Where it is.</param>
/// <param name="Pid">The command's pid, or null while nothing runs.</param>
/// <param name="Restarts">Restarts so far.</param>
/// <param name="StartedAt">When the current process started.</param>
internal sealed record ServerStatus(ServerState State, int? Pid, int Restarts, DateTimeOffset? StartedAt)
{
    /// <summary>Gets the status before the first start.</summary>
    public static ServerStatus Initial { get; } = new(ServerState.Starting, null, 0, null);

    /// <summary>Gets how many times in a row a process ended without the server answering its readiness probe in between.</summary>
    public int ExitsBeforeReady { get; init; }

    /// <summary>Gets how the last process ended (<c>exited with code 3</c>), or null.</summary>
    public string? LastExit { get; init; }

    /// <summary>Gets what the last readiness probe got (<c>HTTP 404</c>, <c>connection refused</c> …), or null before the first.</summary>
    public string? LastReadyProbe { get; init; }

    /// <summary>Gets why the command cannot be started, when <see cref="State"/> is <see cref="ServerState.Failed"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a value indicating whether the readiness probe last answered 200.</summary>
    public bool Ready => State == ServerState.Ready;

    /// <summary>The word <c>status --local</c> shows for a state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The word.</returns>
    public static string Describe(ServerState state) => state switch
    {
        ServerState.Starting => "starting",
        ServerState.Ready => "ready",
        ServerState.NotReady => "not ready",
        ServerState.Unhealthy => "unhealthy",
        ServerState.Backoff => "backoff",
        ServerState.Stopping => "stopping",
        ServerState.Stopped => "stopped",
        _ => "failed",
    };
}
