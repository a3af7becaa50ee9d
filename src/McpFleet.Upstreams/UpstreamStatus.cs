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
