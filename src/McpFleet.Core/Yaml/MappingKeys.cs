namespace McpFleet.Yaml;

/// <summary>
/// The keys of a mapping while a reader builds it, for the duplicate check: a linear scan while the mapping is small
/// (almost every mapping is), a hash index once it is not, so reading a mapping of n keys costs O(n), not O(n²).
/// </summary>
internal struct MappingKeys
{
    /// <summary>Above this many entries a scan costs more than hashing; below it no dictionary is allocated.</summary>
    internal const int IndexThreshold = 16;

    private Dictionary<string, int>? _index;

    /// <summary>Finds <paramref name="key"/> among <paramref name="entries"/>, which must hold only keys added through this instance.</summary>
    /// <param name="entries">The entries read so far.</param>
    /// <param name="key">The key.</param>
    /// <returns>Its index, or -1.</returns>
    public int IndexOf(List<KeyValuePair<YScalar, YNode>> entries, string key)
    {
        if (_index is null)
        {
            if (entries.Count < IndexThreshold)
            {
                return YMap.IndexOf(entries, key);
            }

            _index = new Dictionary<string, int>(entries.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
            {
                _index.TryAdd(entries[i].Key.Value, i);
            }
        }

        return _index.TryGetValue(key, out var at) ? at : -1;
    }

    /// <summary>Appends an entry whose key is not there yet.</summary>
    /// <param name="entries">The entries read so far.</param>
    /// <param name="entry">The entry.</param>
    public void Add(List<KeyValuePair<YScalar, YNode>> entries, KeyValuePair<YScalar, YNode> entry)
    {
        entries.Add(entry);
        _index?.TryAdd(entry.Key.Value, entries.Count - 1);
    }
}
