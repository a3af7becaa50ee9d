using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>
/// Merges Compose files in override order (later files win), following the Compose specification's merge rules:
/// mappings merge key by key; <c>ports</c>, <c>expose</c>, <c>dns</c>, <c>dns_search</c>, <c>tmpfs</c>,
/// <c>external_links</c> and <c>env_file</c> concatenate (without repeats); <c>environment</c>, <c>labels</c>,
/// <c>extra_hosts</c>, <c>sysctls</c> and <c>depends_on</c> merge by key whichever form (list or map) each file uses;
/// <c>volumes</c>, <c>devices</c>, <c>secrets</c> and <c>configs</c> merge by target; any other list, and
/// <c>command</c>, <c>entrypoint</c> and <c>healthcheck.test</c>, is replaced.
/// </summary>
internal static class ComposeMerger
{
    private static readonly HashSet<string> s_concatenated = ["ports", "expose", "dns", "dns_search", "tmpfs", "external_links", "env_file"];
    private static readonly HashSet<string> s_keyed = ["environment", "labels", "extra_hosts", "sysctls", "depends_on", "annotations"];
    private static readonly HashSet<string> s_byTarget = ["volumes", "devices", "secrets", "configs"];

    /// <summary>Merges <paramref name="over"/> onto <paramref name="base"/>.</summary>
    /// <param name="base">The earlier file.</param>
    /// <param name="over">The later file.</param>
    /// <returns>The merged file.</returns>
    public static ComposeMap MergeFiles(ComposeMap @base, ComposeMap over) => MergeMaps(@base, over, MergeTopLevel);

    /// <summary>Reads the list or map form of <c>environment</c>, <c>labels</c> or <c>depends_on</c> as a map.</summary>
    /// <param name="node">The node.</param>
    /// <returns>A map; list entries <c>K=V</c> become <c>K: V</c>, bare <c>K</c> becomes <c>K: null</c>.</returns>
    public static ComposeMap AsKeyed(ComposeNode node)
    {
        if (node is ComposeMap map)
        {
            return map;
        }

        var entries = new List<KeyValuePair<string, ComposeNode>>();
        if (node is ComposeSequence sequence)
        {
            foreach (var item in sequence.Items.OfType<ComposeScalar>())
            {
                var text = item.Text;
                var eq = text.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? text : text[..eq];
                var value = eq < 0 ? null : text[(eq + 1)..];
                entries.RemoveAll(e => e.Key == key);
                entries.Add(new(key, item with { Value = value }));
            }
        }

        return new ComposeMap(node.Location, entries);
    }

    private static ComposeNode MergeTopLevel(string key, ComposeNode @base, ComposeNode over) =>
        key == "services" && @base is ComposeMap b && over is ComposeMap o
            ? MergeMaps(b, o, (_, bs, os) => bs is ComposeMap bm && os is ComposeMap om ? MergeMaps(bm, om, MergeServiceKey) : os)
            : MergeDefault(key, @base, over);

    private static ComposeNode MergeServiceKey(string key, ComposeNode @base, ComposeNode over)
    {
        if (s_concatenated.Contains(key) && @base is ComposeSequence bs && over is ComposeSequence os)
        {
            var identities = new Dictionary<ComposeNode, string>(ReferenceEqualityComparer.Instance);
            var items = bs.Items.ToList();
            var seen = items.Select(i => Identity(i, identities)).ToHashSet(StringComparer.Ordinal);
            items.AddRange(os.Items.Where(o => seen.Add(Identity(o, identities))));
            return new ComposeSequence(over.Location, items);
        }

        if (s_keyed.Contains(key))
        {
            return MergeMaps(AsKeyed(@base), AsKeyed(over), (_, _, o) => o);
        }

        if (s_byTarget.Contains(key) && @base is ComposeSequence bt && over is ComposeSequence ot)
        {
            var items = bt.Items.ToList();
            foreach (var item in ot.Items)
            {
                var index = items.FindIndex(b => Target(b) == Target(item));
                if (index >= 0)
                {
                    items[index] = item;
                }
                else
                {
                    items.Add(item);
                }
            }

            return new ComposeSequence(over.Location, items);
        }

        if (key is "command" or "entrypoint")
        {
            return over;
        }

        if (key == "deploy" && @base is ComposeMap bd && over is ComposeMap od)
        {
            return MergeMaps(bd, od, (k, b, o) => k == "labels" ? MergeMaps(AsKeyed(b), AsKeyed(o), (_, _, x) => x) : MergeDefault(k, b, o));
        }

        return MergeDefault(key, @base, over);
    }

    private static ComposeNode MergeDefault(string key, ComposeNode @base, ComposeNode over) =>
        key != "test" && @base is ComposeMap b && over is ComposeMap o ? MergeMaps(b, o, MergeDefault) : over;

    private static ComposeMap MergeMaps(ComposeMap @base, ComposeMap over, Func<string, ComposeNode, ComposeNode, ComposeNode> mergeValue)
    {
        var entries = @base.Entries.ToList();
        foreach (var (key, value) in over.Entries)
        {
            var index = entries.FindIndex(e => e.Key == key);
            if (index >= 0)
            {
                entries[index] = new(key, mergeValue(key, entries[index].Value, value));
            }
            else
            {
                entries.Add(new(key, value));
            }
        }

        var keys = new Dictionary<string, SourceLocation>(@base.KeyLocations, StringComparer.Ordinal);
        foreach (var (key, location) in over.KeyLocations)
        {
            keys.TryAdd(key, location);
        }

        return new ComposeMap(@base.Location, entries) { KeyLocations = keys };
    }

    /// <summary>The mount or secret target: the container path of a volume, the target (else source) of a secret.</summary>
    private static string Target(ComposeNode node) => node switch
    {
        ComposeMap m => m.Text("target") ?? m.Text("source") ?? "",
        ComposeScalar s when s.Text.Contains(':', StringComparison.Ordinal) => s.Text.Split(':')[1],
        ComposeScalar s => s.Text,
        _ => "",
    };

    /// <summary>
    /// The text that tells two list items apart, memoised by node: a node reached through several aliases is one
    /// object, so it is described once (the reader's alias budget bounds the size).
    /// </summary>
    private static string Identity(ComposeNode node, Dictionary<ComposeNode, string> known)
    {
        if (known.TryGetValue(node, out var identity))
        {
            return identity;
        }

        identity = node switch
        {
            ComposeScalar s => s.Text,
            ComposeMap m => string.Join(",", m.Entries.Select(e => e.Key + "=" + Identity(e.Value, known))),
            ComposeSequence q => "[" + string.Join(",", q.Items.Select(i => Identity(i, known))) + "]",
            _ => "",
        };
        known[node] = identity;
        return identity;
    }
}
