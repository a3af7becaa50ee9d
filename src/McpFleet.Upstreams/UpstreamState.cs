namespace McpFleet.Upstreams;

/// <summary>A snapshot of an <see cref="Upstream"/>'s state, for <c>/ready</c> and the logs.</summary>
/// <param name="Status">The status.</param>
/// <param name="Reason">Why, in a sentence (empty when ready).</param>
/// <param name="Restarts">How many times the server was restarted.</param>
public sealed record UpstreamState(UpstreamStatus Status, string Reason, int Restarts)
{
    /// <summary>Gets a value indicating whether requests can be sent (<see cref="UpstreamStatus.Ready"/>).</summary>
    public bool IsReady => Status == UpstreamStatus.Ready;
}
