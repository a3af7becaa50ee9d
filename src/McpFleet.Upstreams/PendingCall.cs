using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>
/// One request waiting for the upstream's answer: who asked, with which progress token, and the notifications for
/// it still being sent. Notifications are chained so they reach the caller in order and before the response.
/// </summary>
internal sealed class PendingCall(IUpstreamCaller? caller, JsonNode? progressToken)
{
    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;

    /// <summary>Gets who asked, or <see langword="null"/> for the proxy's own requests (initialize, ping).</summary>
    public IUpstreamCaller? Caller => caller;

    /// <summary>Gets the caller's own progress token, which the upstream saw rewritten.</summary>
    public JsonNode? ProgressToken => progressToken;

    /// <summary>Gets the answer: a response or an error, or an exception when the upstream went away.</summary>
    public TaskCompletionSource<JsonRpcMessageWithId> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes when every notification queued so far was sent.</summary>
    public Task Sent
    {
        get
        {
            lock (_lock)
            {
                return _tail;
            }
        }
    }

    /// <summary>Queues <paramref name="notification"/> for the caller behind the ones before it.</summary>
    /// <param name="notification">The notification.</param>
    public void Enqueue(JsonRpcNotification notification)
    {
        if (caller is null)
        {
            return;
        }

        lock (_lock)
        {
            _tail = SendAfterAsync(_tail, caller, notification);
        }
    }

    private static async Task SendAfterAsync(Task previous, IUpstreamCaller caller, JsonRpcNotification notification)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await caller.SendNotificationAsync(notification, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // The caller's stream is gone (it disconnected, or its response went out): nothing to deliver to.
        }
    }
}
