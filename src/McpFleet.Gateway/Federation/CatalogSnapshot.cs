using System.Buffers.Text;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Configuration;

namespace McpFleet.Gateway.Federation;

/// <summary>One item of a federated list: whose it is, where in its list, and how the gateway shows it.</summary>
/// <param name="Upstream">The upstream.</param>
/// <param name="Index">Its position in the upstream's list.</param>
/// <param name="Item">The item.</param>
internal sealed record CatalogEntry(GatewayUpstream Upstream, int Index, CatalogItem Item);

/// <summary>
/// The federated lists at one moment: the items of every upstream that is up, in config order and each upstream's own
/// order, with lookups by exposed name. Immutable, so a list answer never sees half a refresh; rebuilt whenever an
/// upstream's lists or state change. A page's cursor is the position of the next item as (upstream, index), so it stays
/// valid while other upstreams come and go.
/// </summary>
internal sealed class CatalogSnapshot
{
    private readonly ImmutableArray<CatalogEntry>[] _lists;
    private readonly FrozenDictionary<string, CatalogEntry>[] _byName;

    private CatalogSnapshot(ImmutableArray<CatalogEntry>[] lists)
    {
        _lists = lists;
        _byName = [.. lists.Select(static l => ByName(l))];
    }

    /// <summary>Gets an empty snapshot.</summary>
    public static CatalogSnapshot Empty { get; } = new([[], [], [], []]);

    /// <summary>Builds the snapshot of the upstreams that are up.</summary>
    /// <param name="upstreams">Every upstream, in config order.</param>
    /// <returns>The snapshot.</returns>
    public static CatalogSnapshot Build(IReadOnlyList<GatewayUpstream> upstreams)
    {
        var lists = new ImmutableArray<CatalogEntry>[4];
        foreach (var kind in ListKinds.All)
        {
            var builder = ImmutableArray.CreateBuilder<CatalogEntry>();
            foreach (var upstream in upstreams)
            {
                if (!upstream.IsUp)
                {
                    continue;
                }

                var items = upstream.List(kind);
                for (var i = 0; i < items.Length; i++)
                {
                    builder.Add(new CatalogEntry(upstream, i, items[i]));
                }
            }

            lists[(int)kind] = builder.ToImmutable();
        }

        return new CatalogSnapshot(lists);
    }

    /// <summary>Gets a federated list.</summary>
    /// <param name="kind">The list.</param>
    /// <returns>The entries.</returns>
    public ImmutableArray<CatalogEntry> List(ListKind kind) => _lists[(int)kind];

    /// <summary>Finds an item by its exposed name or URI.</summary>
    /// <param name="kind">The list.</param>
    /// <param name="exposed">The exposed name or URI.</param>
    /// <returns>The entry, or null.</returns>
    public CatalogEntry? Find(ListKind kind, string exposed) => _byName[(int)kind].GetValueOrDefault(exposed);

    /// <summary>Returns a text that changes whenever the list as a client sees it changes.</summary>
    /// <param name="kind">The list.</param>
    /// <returns>The fingerprint.</returns>
    public string Fingerprint(ListKind kind)
    {
        var text = new StringBuilder();
        foreach (var entry in _lists[(int)kind])
        {
            text.Append(entry.Item.Item.GetRawText()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes one page of a list, as the caller may see it.</summary>
    /// <param name="kind">The list.</param>
    /// <param name="cursor">The client's cursor, or null for the first page.</param>
    /// <param name="pageSize">The most items on the page.</param>
    /// <param name="visible">Which exposed names the caller may see.</param>
    /// <param name="upstreams">Every upstream, in config order (to place a cursor whose upstream is down now).</param>
    /// <returns>The result object, or null when the cursor is not one of the gateway's.</returns>
    public JsonObject? Page(ListKind kind, string? cursor, int pageSize, GlobSet visible, IReadOnlyList<GatewayUpstream> upstreams)
    {
        var list = _lists[(int)kind];
        var start = 0;
        if (cursor is not null)
        {
            if (DecodeCursor(cursor) is not var (name, index) || upstreams.FirstOrDefault(u => u.Name == name) is not { } at)
            {
                return null;
            }

            while (start < list.Length && (list[start].Upstream.Order < at.Order || (list[start].Upstream.Order == at.Order && list[start].Index < index)))
            {
                start++;
            }
        }

        var items = new JsonArray();
        var i = start;
        for (; i < list.Length && items.Count < pageSize; i++)
        {
            var entry = list[i];
            if (IsShown(kind, entry, visible))
            {
                // Backed by the shared element until someone looks inside: written out as it is, no copy per answer.
                items.Add((JsonNode?)JsonObject.Create(entry.Item.Item));
            }
        }

        // Skip what the caller may not see, so a last page never ends on an empty next one.
        while (i < list.Length && !IsShown(kind, list[i], visible))
        {
            i++;
        }

        var result = new JsonObject { [ListKinds.ResultKey(kind)] = items };
        if (i < list.Length)
        {
            result["nextCursor"] = EncodeCursor(list[i].Upstream.Name, list[i].Index);
        }

        return result;
    }

    /// <summary>Encodes a position: base64url of <c>v1/&lt;upstream&gt;/&lt;index&gt;</c>.</summary>
    /// <param name="upstream">The upstream's name.</param>
    /// <param name="index">The index in its list.</param>
    /// <returns>The cursor.</returns>
    internal static string EncodeCursor(string upstream, int index) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1/{upstream}/{index}")));

    /// <summary>Decodes a cursor of <see cref="EncodeCursor"/>.</summary>
    /// <param name="cursor">The cursor.</param>
    /// <returns>The position, or null.</returns>
    internal static (string Upstream, int Index)? DecodeCursor(string cursor)
    {
        if (cursor.Length > 200)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('/');
        return parts is ["v1", { Length: > 0 } name, var number] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (name, index)
            : null;
    }

    /// <summary>Whether a caller sees an entry: its tools allow-list, and only the entry a name resolves to (no duplicates).</summary>
    private bool IsShown(ListKind kind, CatalogEntry entry, GlobSet visible) =>
        (kind != ListKind.Tools || visible.Matches(entry.Item.Exposed)) && ReferenceEquals(Find(kind, entry.Item.Exposed), entry);

    private static FrozenDictionary<string, CatalogEntry> ByName(ImmutableArray<CatalogEntry> list)
    {
        // Two upstreams without prefixes may list the same name: the first in config order wins, every time.
        var map = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var entry in list)
        {
            _ = map.TryAdd(entry.Item.Exposed, entry);
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
