namespace McpFleet.Local;

/// <summary>Receives what a local run does. Every member has a no-op default.</summary>
public interface ILocalProgress
{
    /// <summary>Something happened to a server: started, ready, restarting, stopping.</summary>
    /// <param name="server">The server name.</param>
    /// <param name="message">What happened.</param>
    void ServerEvent(string server, string message) { }

    /// <summary>A line the server wrote to stdout or stderr.</summary>
    /// <param name="server">The server name.</param>
    /// <param name="line">The line.</param>
    void Output(string server, string line) { }

    /// <summary>Something about the run as a whole that the user should know, e.g. leftovers of an earlier run removed.</summary>
    /// <param name="message">The note.</param>
    void Note(string message) { }

    /// <summary>Every server of a phase answers <c>/ready</c>.</summary>
    /// <param name="phase">The phase.</param>
    void PhaseReady(LocalPhasePlan phase) { }

    /// <summary>The fleet's gateway answers <c>/ready</c>: its MCP endpoint, which fronts every local server.</summary>
    /// <param name="url">The gateway's MCP URL on loopback.</param>
    void GatewayReady(string url) { }
}

/// <summary>The outcome of a local run.</summary>
/// <param name="Success">Every phase became ready and the run ended by cancellation.</param>
/// <param name="Error">What failed, or null.</param>
public sealed record LocalRunResult(bool Success, string? Error);
