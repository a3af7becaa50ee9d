namespace McpFleet.Proxy;

/// <summary>
/// Which client sessions subscribed to which resource. The shared server sees one subscription per URI: the first
/// subscriber's <c>resources/subscribe</c> goes to it, the last one's <c>resources/unsubscribe</c> too, and its
/// <c>notifications/resources/updated</c> goes to the subscribers only.
/// </summary>
internal sealed class ResourceSubscriptions
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _byUri = new(StringComparer.Ordinal);

    /// <summary>Adds a subscription.</summary>
    /// <param name="uri">The resource.</param>
    /// <param name="session">The client session.</param>
    /// <returns>Whether it is the URI's first (so the server must be told).</returns>
    public bool Add(string uri, string session)
    {
        lock (_lock)
        {
            if (!_byUri.TryGetValue(uri, out var sessions))
            {
                _byUri[uri] = sessions = new HashSet<string>(StringComparer.Ordinal);
            }

            return sessions.Add(session) && sessions.Count == 1;
        }
    }

    /// <summary>Removes a subscription.</summary>
    /// <param name="uri">The resource.</param>
    /// <param name="session">The client session.</param>
    /// <returns>Whether it was the URI's last (so the server must be told).</returns>
    public bool Remove(string uri, string session)
    {
        lock (_lock)
        {
            if (!_byUri.TryGetValue(uri, out var sessions) || !sessions.Remove(session))
            {
                return false;
            }

            if (sessions.Count == 0)
            {
                _ = _byUri.Remove(uri);
                return true;
            }

            return false;
        }
    }

    /// <summary>Removes every subscription of a session that ended.</summary>
    /// <param name="session">The client session.</param>
    /// <returns>The URIs that have no subscriber left.</returns>
    public IReadOnlyList<string> RemoveSession(string session)
    {
        List<string> orphaned = [];
        lock (_lock)
        {
            foreach (var (uri, sessions) in _byUri)
            {
                if (sessions.Remove(session) && sessions.Count == 0)
                {
                    orphaned.Add(uri);
                }
            }

            foreach (var uri in orphaned)
            {
                _ = _byUri.Remove(uri);
            }
        }

        return orphaned;
    }

    /// <summary>Returns the sessions subscribed to <paramref name="uri"/>.</summary>
    /// <param name="uri">The resource.</param>
    /// <returns>The session ids.</returns>
    public string[] Subscribers(string uri)
    {
        lock (_lock)
        {
            return _byUri.TryGetValue(uri, out var sessions) ? [.. sessions] : [];
        }
    }
}
