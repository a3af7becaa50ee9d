using System.Collections.Frozen;
using System.Text.Json.Nodes;
using McpFleet.Upstreams;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy;

/// <summary>
/// The names of the server's tools, read after every (re)start and every <c>notifications/tools/list_changed</c>.
/// Metrics label a call with its tool only when the name is known, so a client cannot create series by inventing names.
/// </summary>
internal sealed class ToolCatalog
{
    private FrozenSet<string> _names = FrozenSet<string>.Empty;
    private int _version;

    /// <summary>Gets whether <paramref name="name"/> is one of the server's tools.</summary>
    /// <param name="name">The tool name.</param>
    /// <returns>Whether it is known.</returns>
    public bool Contains(string name) => _names.Contains(name);

    /// <summary>Reads every page of <c>tools/list</c>. A refresh overtaken by a newer one does not overwrite it.</summary>
    /// <param name="upstream">The server.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task.</returns>
    public async Task RefreshAsync(Upstream upstream, CancellationToken cancellationToken)
    {
        var version = Interlocked.Increment(ref _version);
        if (upstream.Initialization?.Capabilities?.Tools is null)
        {
            _names = FrozenSet<string>.Empty;
            return;
        }

        HashSet<string> names = new(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var parameters = cursor is null ? null : new JsonObject { ["cursor"] = cursor };
            if (await upstream.SendRequestAsync(RequestMethods.ToolsList, parameters, null, cancellationToken).ConfigureAwait(false) is not JsonRpcResponse { Result: JsonObject result })
            {
                break;
            }

            if (result["tools"] is JsonArray tools)
            {
                foreach (var tool in tools)
                {
                    if (tool?["name"] is JsonValue name && name.TryGetValue<string>(out var text))
                    {
                        _ = names.Add(text);
                    }
                }
            }

            cursor = result["nextCursor"] is JsonValue next && next.TryGetValue<string>(out var c) && c.Length > 0 ? c : null;
            if (cursor is null)
            {
                break;
            }
        }

        if (Volatile.Read(ref _version) == version)
        {
            _names = names.ToFrozenSet(StringComparer.Ordinal);
        }
    }
}
