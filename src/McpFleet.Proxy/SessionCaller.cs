using McpFleet.Upstreams;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Proxy;

/// <summary>
/// A client's request as the upstream sees it: the SDK's request-bound server, so notifications go out on the stream
/// of that request, and server-to-client requests reach the same client where its session allows it.
/// </summary>
/// <param name="server">The request-bound server the SDK passed to the message filter.</param>
/// <param name="modern">Whether the request is of protocol 2026-07-28 or later (no session, no server-to-client requests).</param>
internal sealed class SessionCaller(McpServer server, bool modern) : IUpstreamCaller
{
    public string? SessionId => server.SessionId is { Length: > 0 } id ? id : null;

    public bool CanReceive(string method)
    {
        // Stateless and 2026-07-28 requests have no channel for a server-to-client request (2026 uses MRTR instead).
        if (modern || SessionId is null)
        {
            return false;
        }

        var capabilities = server.ClientCapabilities;
        return method switch
        {
            RequestMethods.SamplingCreateMessage => capabilities?.Sampling is not null,
            RequestMethods.ElicitationCreate => capabilities?.Elicitation is not null,
            RequestMethods.RootsList => capabilities?.Roots is not null,
            _ => false,
        };
    }

    public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken) =>
        server.SendMessageAsync(new JsonRpcNotification { Method = notification.Method, Params = notification.Params }, cancellationToken);

    public Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        server.SendRequestAsync(request, cancellationToken);
}
