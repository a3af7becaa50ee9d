using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>
/// The client a request to the upstream came from: where the upstream's progress, log messages and server-to-client
/// requests (sampling, elicitation, roots) for that request go back to.
/// </summary>
public interface IUpstreamCaller
{
    /// <summary>Gets the caller's MCP session (<see langword="null"/> for a stateless caller); calls of one session count as one caller.</summary>
    string? SessionId { get; }

    /// <summary>Gets whether this caller can take the upstream's server-to-client request <paramref name="method"/> (a session, and the client's capability).</summary>
    /// <param name="method">The method, such as <c>sampling/createMessage</c>.</param>
    /// <returns>Whether it can be sent to this caller.</returns>
    bool CanReceive(string method);

    /// <summary>Sends a notification to the caller, on the stream of its request where the transport has one.</summary>
    /// <param name="notification">The notification (progress token already rewritten back).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken);

    /// <summary>Sends a server-to-client request to the caller and returns its answer.</summary>
    /// <param name="request">The request, without an id (the caller's session assigns one).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The caller's result.</returns>
    Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken);
}
