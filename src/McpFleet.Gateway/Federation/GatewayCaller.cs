using McpFleet.Upstreams;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// A client's request as an upstream sees it: progress and log messages for it go back on the stream of that request.
/// The gateway serves clients statelessly, so it never passes on an upstream's sampling, elicitation or roots request
/// (the upstream gets a JSON-RPC error at once, never a hang).
/// </summary>
/// <param name="server">The request-bound server the SDK passed to the message filter.</param>
internal sealed class GatewayCaller(McpServer server) : IUpstreamCaller
{
    public string? SessionId => null;

    public bool CanReceive(string method) => false;

    public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
        server.SendMessageAsync(new JsonRpcNotification { Method = notification.Method, Params = notification.Params }, cancellationToken);

    public Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the gateway serves clients statelessly and passes on no server-to-client request");
}
