namespace McpFleet.Local.Containers;

/// <summary>Receives what a container run does, for the CLI to print.</summary>
public interface IContainerProgress
{
    /// <summary>A server started, became ready, failed or stopped.</summary>
    /// <param name="server">The server name.</param>
    /// <param name="message">What happened.</param>
    void ServerEvent(string server, string message);

    /// <summary>Every server of a phase answers <c>/ready</c>.</summary>
    /// <param name="phase">The phase.</param>
    void PhaseReady(PodmanPhasePlan phase);
}
