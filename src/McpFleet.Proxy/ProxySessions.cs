using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpFleet.Upstreams;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Proxy;

/// <summary>
/// The client sessions of a stateful proxy, and the upstream's notifications that belong to no single request:
/// <c>list_changed</c> goes to every session (and refreshes the tool catalog), <c>resources/updated</c> to the
/// sessions subscribed to the resource, log messages to every session. Stateless clients have no channel for them.
/// </summary>
internal sealed partial class ProxySessions(ToolCatalog tools, ResourceSubscriptions subscriptions, ILogger<ProxySessions> logger) : IUpstreamListener
{
    private readonly ConcurrentDictionary<string, McpServer> _sessions = new(StringComparer.Ordinal);
    private Upstream? _upstream;

    /// <summary>Gets the number of open sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>Connects the upstream, created after this listener.</summary>
    /// <param name="upstream">The upstream.</param>
    public void Attach(Upstream upstream) => _upstream = upstream;

    /// <summary>Runs a session of the SDK's, registered while it lasts. Wraps whatever <c>RunSessionHandler</c> was there.</summary>
    /// <param name="server">The session's server.</param>
    /// <param name="run">Runs the session.</param>
    /// <returns>A task that completes when the session ended.</returns>
    public async Task RunSessionAsync(McpServer server, Func<Task> run)
    {
        var id = server.SessionId;
        if (id is { Length: > 0 })
        {
            _sessions[id] = server;
        }

        try
        {
            await run().ConfigureAwait(false);
        }
        finally
        {
            if (id is { Length: > 0 })
            {
                _ = _sessions.TryRemove(id, out _);
                foreach (var uri in subscriptions.RemoveSession(id))
                {
                    await UnsubscribeUpstreamAsync(uri).ConfigureAwait(false);
                }
            }
        }
    }

    public void OnReady()
    {
        if (_upstream is { } upstream)
        {
            _ = RefreshToolsAsync(upstream);
        }
    }

    public void OnNotification(JsonRpcNotification notification)
    {
        switch (notification.Method)
        {
            case NotificationMethods.ToolListChangedNotification:
                OnReady();
                Broadcast(notification, _sessions.Values);
                break;
            case NotificationMethods.ResourceUpdatedNotification:
                var uri = notification.Params?["uri"] is JsonValue v && v.TryGetValue<string>(out var u) ? u : null;
                var targets = uri is null ? [] : subscriptions.Subscribers(uri).Select(s => _sessions.GetValueOrDefault(s)).OfType<McpServer>();
                Broadcast(notification, targets);
                break;
            default:
                Broadcast(notification, _sessions.Values);
                break;
        }
    }

    private void Broadcast(JsonRpcNotification notification, IEnumerable<McpServer> targets)
    {
        foreach (var server in targets)
        {
            _ = SendAsync(server, new JsonRpcNotification { Method = notification.Method, Params = notification.Params?.DeepClone() });
        }
    }

    private async Task SendAsync(McpServer server, JsonRpcNotification notification)
    {
        try
        {
            await server.SendMessageAsync(notification).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSendFailed(logger, notification.Method, ex.Message);
        }
    }

    private async Task RefreshToolsAsync(Upstream upstream)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await tools.RefreshAsync(upstream, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogToolsRefreshFailed(logger, ex.Message);
        }
    }

    private async Task UnsubscribeUpstreamAsync(string uri)
    {
        if (_upstream is not { } upstream)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            _ = await upstream.SendRequestAsync(RequestMethods.ResourcesUnsubscribe, new JsonObject { ["uri"] = uri }, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSendFailed(logger, RequestMethods.ResourcesUnsubscribe, ex.Message);
        }
    }

    [LoggerMessage(200, LogLevel.Debug, "Could not pass {Method} on to a client session: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string method, string reason);

    [LoggerMessage(201, LogLevel.Warning, "Could not read the MCP server's tools (metrics label calls as _OTHER until it works): {Reason}")]
    private static partial void LogToolsRefreshFailed(ILogger logger, string reason);
}
