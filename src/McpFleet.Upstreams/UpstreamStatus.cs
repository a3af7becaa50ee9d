namespace McpFleet.Upstreams;

/// <summary>Where an <see cref="Upstream"/> is in its life.</summary>
public enum UpstreamStatus
{
    /// <summary>Starting the server or waiting for its <c>initialize</c> answer.</summary>
    Starting,

    /// <summary>Initialized and answering.</summary>
    Ready,

    /// <summary>Initialized, but the last ping went unanswered; restarted after a few more.</summary>
    Unresponsive,

    /// <summary>Gone (exited, refused, stopped answering); waiting out the back-off before the next start.</summary>
    Restarting,

    /// <summary>Shutting down; never starts again.</summary>
    Stopping,
}

/// <summary>A snapshot of an <see cref="Upstream"/>'s state, for <c>/ready</c> and the logs.</summary>
/// <param name="Status">The status.</param>
/// <param name="Reason">Why, in a sentence (empty when ready).</param>
/// <param name="Restarts">How many times the server was restarted.</param>
public sealed record UpstreamState(UpstreamStatus Status, string Reason, int Restarts)
{
    /// <summary>Gets a value indicating whether requests can be sent (<see cref="UpstreamStatus.Ready"/>).</summary>
    public bool IsReady => Status == UpstreamStatus.Ready;
}
