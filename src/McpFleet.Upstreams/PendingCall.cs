using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>
/// One request waiting for the upstream's answer: who asked, with which progress token, and the notifications for
/// it still being sent. Notifications are chained so they reach the caller in order and before the response.
/// One is allocated per request, so what only notifications need (the lock) is allocated by the first of them.
/// </summary>
internal sealed class PendingCall(long id, UpstreamConnection? connection, IUpstreamCaller? caller, JsonNode? progressToken)
{
    private Lock? _lock;
    private Task _tail = Task.CompletedTask;

    /// <summary>Gets the id the upstream sees.</summary>
    public long Id => id;

    /// <summary>Gets the connection the call waits on, which cancels it (the state of its cancellation registration).</summary>
    public UpstreamConnection? Connection => connection;

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
            // Read after the answer, which the read loop sets after queueing the call's notifications: no lock, none queued.
            if (Volatile.Read(ref _lock) is not { } gate)
            {
                return Task.CompletedTask;
            }

            lock (gate)
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

        var gate = Volatile.Read(ref _lock) ?? Interlocked.CompareExchange(ref _lock, new Lock(), null) ?? _lock!;
        lock (gate)
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
