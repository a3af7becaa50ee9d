using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>Receives the upstream's notifications that belong to no single request: <c>list_changed</c>, resource updates, log messages.</summary>
public interface IUpstreamListener
{
    /// <summary>Called for each such notification, on the upstream's read loop: return at once.</summary>
    /// <param name="notification">The notification.</param>
    void OnNotification(JsonRpcNotification notification);

    /// <summary>Called each time the upstream has been (re)started and initialized, just after its state became Ready.</summary>
    void OnReady();
}
