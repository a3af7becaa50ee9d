using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>
/// Counts the open MCP sessions of stateful modes, per caller and in all, and refuses a new one past either limit, so a
/// client that opens sessions in a loop cannot make the SDK evict the oldest idle sessions, which are other clients'.
/// A caller is the API key it presented when <c>MCP_API_KEYS</c> is set, else its remote address. Consulted once per
/// session start and once per session end, never per request, so a lock is cheap here.
/// </summary>
internal sealed class McpFleetSessionLimiter(IOptions<McpFleetServerOptions> options, McpFleetMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perCaller = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Gets the number of open sessions.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Names the caller of a session-creating request.</summary>
    /// <param name="context">The request.</param>
    /// <returns><c>key:N</c> for the N-th configured API key, else the remote address.</returns>
    public string CallerOf(HttpContext context)
    {
        if (options.Value.ApiKeyHashes is { Length: > 0 } keys)
        {
            // The middleware let the request through, so it presented one of the keys; its index stands for it.
            return "key:" + McpFleetApiKeys.Match(keys, context.Request.Headers.Authorization.ToString()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var address = context.Connection.RemoteIpAddress;
        return address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>Takes a session slot for <paramref name="caller"/>, or says which limit refuses it.</summary>
    /// <param name="caller">The caller, from <see cref="CallerOf"/>.</param>
    /// <returns>The slot, released by disposing it.</returns>
    /// <exception cref="McpFleetSessionLimitException">The caller, or the server, has as many sessions as allowed.</exception>
    public IDisposable Acquire(string caller)
    {
        var o = options.Value;
        lock (_lock)
        {
            if (_total >= o.MaxSessions)
            {
                throw new McpFleetSessionLimitException(perCaller: false);
            }

            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_perCaller, caller, out _);
            if (count >= o.MaxSessionsPerCaller)
            {
                throw new McpFleetSessionLimitException(perCaller: true);
            }

            count++;
            _total++;
        }

        metrics.SessionOpened();
        return new Slot(this, caller);
    }

    private void Release(string caller)
    {
        lock (_lock)
        {
            _total--;
            if (--_perCaller[caller] == 0)
            {
                _perCaller.Remove(caller);
            }
        }

        metrics.SessionClosed();
    }

    private sealed class Slot(McpFleetSessionLimiter limiter, string caller) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(caller);
            }
        }
    }
}

/// <summary>Thrown from the SDK's session setup when a session limit refuses a new session; the middleware answers it.</summary>
/// <param name="perCaller">Whether the caller's own limit refused it (else the server's).</param>
internal sealed class McpFleetSessionLimitException(bool perCaller) : Exception(perCaller ? "Too many MCP sessions for this caller" : "Too many MCP sessions")
{
    /// <summary>Gets a value indicating whether the caller's own limit refused the session (else the server's).</summary>
    public bool PerCaller { get; } = perCaller;
}
