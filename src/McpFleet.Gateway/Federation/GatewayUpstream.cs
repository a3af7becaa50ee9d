using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Configuration;
using McpFleet.Upstreams;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Federation;

/// <summary>One item of an upstream's list as the gateway shows it.</summary>
/// <param name="Own">The upstream's own name or URI.</param>
/// <param name="Exposed">The gateway's name or URI.</param>
/// <param name="Item">The item with the gateway's name, serialized once and shared by every list answer.</param>
internal sealed record CatalogItem(string Own, string Exposed, JsonElement Item);

/// <summary>
/// One fronted server: its <see cref="Upstream"/> (connection, pings, reconnects with back-off) and its four lists, read
/// in full when it becomes ready, on its <c>list_changed</c>, and on the periodic refresh; a list that could not be read
/// is read again soon (1 s, doubling up to the periodic refresh), not only at the next refresh. It counts as up while it
/// is ready (or has missed fewer pings than it takes to go down) and its lists of this life have been read or tried.
/// </summary>
internal sealed partial class GatewayUpstream : IUpstreamListener, IDisposable
{
    private const int MaxPages = 100;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxRetryDelay;
    private readonly CatalogItem[][] _lists = [[], [], [], []];
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private int _retrying;
    private volatile bool _loaded;
    private int _life;
    private int _needsSession;
    private SharedLinkLauncher? _launcher;

    /// <summary>Initializes a new instance of the <see cref="GatewayUpstream"/> class; <see cref="Attach"/> gives it its connection.</summary>
    /// <param name="settings">Its settings.</param>
    /// <param name="order">Its position in the config's list.</param>
    /// <param name="maxRetryDelay">The longest wait before a list that could not be read is read again (the periodic refresh).</param>
    /// <param name="timeProvider">The clock of those waits.</param>
    /// <param name="logger">The logger.</param>
    public GatewayUpstream(UpstreamSettings settings, int order, TimeSpan maxRetryDelay, TimeProvider timeProvider, ILogger logger)
    {
        Settings = settings;
        Order = order;
        _maxRetryDelay = maxRetryDelay;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Occurs when its lists or whether it is up changed.</summary>
    public event Action<GatewayUpstream>? Changed;

    /// <summary>Gets its settings.</summary>
    public UpstreamSettings Settings { get; }

    /// <summary>Gets its name.</summary>
    public string Name => Settings.Name;

    /// <summary>Gets its position in the config's list (the order of the federated lists).</summary>
    public int Order { get; }

    /// <summary>Gets the connection.</summary>
    public Upstream Connection { get; private set; } = null!;

    /// <summary>Gets a value indicating whether it takes calls and its items are listed.</summary>
    public bool IsUp => _loaded && Connection.State.Status is UpstreamStatus.Ready or UpstreamStatus.Unresponsive;

    /// <summary>Gets a sentence saying why it is down, for errors and the status endpoint.</summary>
    public string DownReason => Connection.State switch
    {
        { Status: UpstreamStatus.Ready or UpstreamStatus.Unresponsive } when !_loaded => "connected; reading its lists",
        var s => s.Reason,
    };

    /// <summary>
    /// Gets a value indicating whether the stateless fast path may POST a call straight to it: its shared connection holds
    /// no session there (a server that keeps sessions wants the session's id on every request) and it never refused a
    /// call without one. Otherwise calls go over the shared connection, as the SDK path sends them.
    /// </summary>
    public bool ForwardsDirectly => Volatile.Read(ref _needsSession) == 0 && _launcher?.SessionId is null;

    /// <summary>Gives it its connection (created after this listener) and watches its state.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="launcher">The connection's launcher, which knows the shared connection's session there.</param>
    public void Attach(Upstream connection, SharedLinkLauncher? launcher = null)
    {
        Connection = connection;
        _launcher = launcher;
        connection.StateChanged += (_, state) =>
        {
            if (state.Status is not (UpstreamStatus.Ready or UpstreamStatus.Unresponsive))
            {
                _loaded = false;
            }

            Changed?.Invoke(this);
        };
    }

    /// <summary>It refused a call without a session: its calls go over the shared connection until it reconnects or the next periodic refresh.</summary>
    /// <returns>Whether it took the fast path until now (log it once each time).</returns>
    public bool StopForwardingDirectly() => Interlocked.Exchange(ref _needsSession, 1) == 0;

    /// <summary>Gets one of its lists (what it served when last read).</summary>
    /// <param name="kind">The list.</param>
    /// <returns>The items, in its order.</returns>
    public ImmutableArray<CatalogItem> List(ListKind kind) => ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref _lists[(int)kind]));

    /// <summary>
    /// Reads the lists again; called on every (re)connect, by the gateway itself. A new life may be a new deployment of the
    /// server, so the fast path is tried again even if the last life refused a call without a session.
    /// </summary>
    public void OnReady()
    {
        var life = Interlocked.Increment(ref _life);
        Volatile.Write(ref _needsSession, 0);
        _ = RefreshAsync(ListKinds.All, life);
    }

    /// <summary>Reads a list again on its <c>list_changed</c>.</summary>
    /// <param name="notification">The notification.</param>
    public void OnNotification(JsonRpcNotification notification)
    {
        switch (notification.Method)
        {
            case NotificationMethods.ToolListChangedNotification:
                _ = RefreshAsync([ListKind.Tools], Volatile.Read(ref _life));
                break;
            case NotificationMethods.PromptListChangedNotification:
                _ = RefreshAsync([ListKind.Prompts], Volatile.Read(ref _life));
                break;
            case NotificationMethods.ResourceListChangedNotification:
                _ = RefreshAsync([ListKind.Resources, ListKind.ResourceTemplates], Volatile.Read(ref _life));
                break;
        }
    }

    /// <summary>
    /// Reads every list again if it is connected (the periodic check), and lets the fast path try it again: a stateless
    /// server redeployed behind the same URL keeps the shared connection, so only time tells that it changed.
    /// </summary>
    /// <returns>A task.</returns>
    public Task RefreshAllAsync()
    {
        Volatile.Write(ref _needsSession, 0);
        return Connection.State.Status is UpstreamStatus.Ready or UpstreamStatus.Unresponsive ? RefreshAsync(ListKinds.All, Volatile.Read(ref _life)) : Task.CompletedTask;
    }

    /// <summary>
    /// Reads the lists; a list that could not be read starts a round of retries (<see cref="RetryAsync"/>), which runs on
    /// its own: the periodic refresh waits for every upstream's reading, and a list that always fails must not hold it.
    /// </summary>
    private async Task RefreshAsync(IReadOnlyList<ListKind> kinds, int life)
    {
        if (await ReadListsAsync(kinds, life).ConfigureAwait(false) is { } failed && Interlocked.CompareExchange(ref _retrying, 1, 0) == 0)
        {
            _ = RetryAsync(failed, life);
        }
    }

    /// <summary>
    /// Reads lists that could not be read again after a wait that doubles each time, up to the periodic refresh, for as
    /// long as this life lasts: a server that was slow to answer its first <c>tools/list</c> is not left with no tools
    /// listed until the next periodic refresh. One round at a time, however many refreshes fail meanwhile.
    /// </summary>
    private async Task RetryAsync(IReadOnlyList<ListKind> kinds, int life)
    {
        try
        {
            for (var delay = FirstRetry; ; delay = delay * 2 < _maxRetryDelay ? delay * 2 : _maxRetryDelay)
            {
                await Task.Delay(delay, _timeProvider, _disposed.Token).ConfigureAwait(false);
                if (Connection.State.Status is not (UpstreamStatus.Ready or UpstreamStatus.Unresponsive))
                {
                    return; // its next life reads every list when it connects
                }

                if (life != Volatile.Read(ref _life))
                {
                    // It reconnected while this round waited, and that life's first reading may have failed too.
                    (life, kinds) = (Volatile.Read(ref _life), ListKinds.All);
                }

                if (await ReadListsAsync(kinds, life).ConfigureAwait(false) is not { } failed)
                {
                    return;
                }

                kinds = failed;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The gateway stops.
        }
        finally
        {
            Volatile.Write(ref _retrying, 0);
        }
    }

    /// <summary>Reads the lists of this life, one at a time with every other refresh.</summary>
    /// <returns>The lists that could not be read, or null.</returns>
    private async Task<List<ListKind>?> ReadListsAsync(IReadOnlyList<ListKind> kinds, int life)
    {
        List<ListKind>? failed = null;
        await _refreshing.WaitAsync().ConfigureAwait(false);
        try
        {
            var changed = false;
            foreach (var kind in kinds)
            {
                if (life != Volatile.Read(ref _life))
                {
                    return null; // a newer connection reads its own lists
                }

                try
                {
                    var items = await ReadAsync(kind).ConfigureAwait(false);
                    if (!SameItems(List(kind), items))
                    {
                        Volatile.Write(ref _lists[(int)kind], ImmutableCollectionsMarshal.AsArray(items)!);
                        changed = true;
                    }
                }
                catch (Exception ex) when (ex is UpstreamUnavailableException or OperationCanceledException or JsonException or InvalidOperationException)
                {
                    LogListFailed(_logger, ListKinds.Method(kind), Name, ex.Message);
                    (failed ??= []).Add(kind);
                }
            }

            if (!_loaded && life == Volatile.Read(ref _life) && Connection.State.Status is UpstreamStatus.Ready or UpstreamStatus.Unresponsive)
            {
                _loaded = true;
                changed = true;
                LogUp(_logger, Name, List(ListKind.Tools).Length);
            }

            if (changed)
            {
                Changed?.Invoke(this);
            }

            return failed;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<ImmutableArray<CatalogItem>> ReadAsync(ListKind kind)
    {
        if (!ListKinds.Served(kind, Connection.Initialization?.Capabilities))
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<CatalogItem>();
        var resultKey = ListKinds.ResultKey(kind);
        var key = ListKinds.KeyProperty(kind);
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            using var timeout = new CancellationTokenSource(Settings.Timeout);
            var parameters = cursor is null ? null : new JsonObject { ["cursor"] = cursor };
            var answer = await Connection.SendRequestAsync(ListKinds.Method(kind), parameters, caller: null, timeout.Token).ConfigureAwait(false);
            if (answer is JsonRpcError error)
            {
                throw new InvalidOperationException($"error {error.Error.Code}: {error.Error.Message}");
            }

            if ((answer as JsonRpcResponse)?.Result is not JsonObject result || result[resultKey] is not JsonArray items)
            {
                throw new InvalidOperationException($"the result has no '{resultKey}' list");
            }

            foreach (var node in items)
            {
                if (node is not JsonObject item || item[key] is not JsonValue value || !value.TryGetValue<string>(out var own))
                {
                    continue;
                }

                if (kind == ListKind.Tools && !Settings.Tools.Matches(own))
                {
                    continue;
                }

                var exposed = ListKinds.IsUri(kind) ? Naming.Uri(Settings.Prefix, own) : Naming.Name(Settings.Prefix, own);
                var copy = (JsonObject)item.DeepClone();
                copy[key] = exposed;
                builder.Add(new CatalogItem(own, exposed, JsonSerializer.SerializeToElement(copy, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonNode>())));
            }

            cursor = result["nextCursor"] is JsonValue next && next.TryGetValue<string>(out var c) && c.Length > 0 ? c : null;
            if (cursor is null)
            {
                break;
            }
        }

        return builder.ToImmutable();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _refreshing.Dispose();
    }

    private static bool SameItems(ImmutableArray<CatalogItem> a, ImmutableArray<CatalogItem> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].Exposed != b[i].Exposed || a[i].Item.GetRawText() != b[i].Item.GetRawText())
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(300, LogLevel.Warning, "Could not read {Method} of upstream {Upstream} (keeping what it served before; reading it again soon): {Reason}")]
    private static partial void LogListFailed(ILogger logger, string method, string upstream, string reason);

    [LoggerMessage(301, LogLevel.Information, "Upstream {Upstream} is up with {Tools} tools")]
    private static partial void LogUp(ILogger logger, string upstream, int tools);
}
