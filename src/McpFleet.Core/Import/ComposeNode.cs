using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>A node of a Compose file with the file and line it came from, so the report and errors can point at it.</summary>
internal abstract record ComposeNode(SourceLocation Location)
{
    /// <summary>Lists the scalars under <paramref name="node"/>; a subtree shared through YAML aliases is walked once.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The scalars, in document order.</returns>
    public static IEnumerable<ComposeScalar> Scalars(ComposeNode node)
    {
        var seen = new HashSet<ComposeNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<ComposeNode>();
        pending.Push(node);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case ComposeScalar scalar:
                    yield return scalar;
                    break;
                case ComposeMap map when seen.Add(map):
                    for (var i = map.Entries.Count - 1; i >= 0; i--)
                    {
                        pending.Push(map.Entries[i].Value);
                    }

                    break;
                case ComposeSequence sequence when seen.Add(sequence):
                    for (var i = sequence.Items.Count - 1; i >= 0; i--)
                    {
                        pending.Push(sequence.Items[i]);
                    }

                    break;
            }
        }
    }
}

/// <summary>A scalar after interpolation.</summary>
/// <param name="Location">Where it was written.</param>
/// <param name="Value">The text after <c>${VAR}</c> interpolation; <see langword="null"/> for YAML null.</param>
/// <param name="Variables">The names of the variables interpolated into it, in order.</param>
internal sealed record ComposeScalar(SourceLocation Location, string? Value, IReadOnlyList<string> Variables) : ComposeNode(Location)
{
    /// <summary>Gets the text as written, before interpolation (never printed: it may hold a literal credential).</summary>
    public string? Raw { get; init; }

    /// <summary>Gets the required variables (<c>${VAR:?}</c>) it names that have no value; the import decides whether that is fatal.</summary>
    public IReadOnlyList<MissingRequired> Missing { get; init; } = [];

    /// <summary>Creates a scalar without interpolated variables.</summary>
    /// <param name="location">Where it was written.</param>
    /// <param name="value">The text.</param>
    /// <returns>The scalar.</returns>
    public static ComposeScalar Of(SourceLocation location, string? value) => new(location, value, []);

    /// <summary>Gets the text, or an empty string for null.</summary>
    public string Text => Value ?? "";
}

/// <summary>A mapping, entries in written (then merge) order.</summary>
internal sealed record ComposeMap(SourceLocation Location, IReadOnlyList<KeyValuePair<string, ComposeNode>> Entries) : ComposeNode(Location)
{
    /// <summary>Gets where each key was written (the first file that wrote it, after a merge).</summary>
    public IReadOnlyDictionary<string, SourceLocation> KeyLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>Finds where <paramref name="key"/> was written, else where the mapping starts.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The location.</returns>
    public SourceLocation KeyLocation(string key) => KeyLocations.TryGetValue(key, out var location) ? location : Location;

    /// <summary>Finds the value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The node, or <see langword="null"/>.</returns>
    public ComposeNode? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>Finds the scalar text of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The text, or <see langword="null"/> when absent or not a scalar.</returns>
    public string? Text(string key) => (Get(key) as ComposeScalar)?.Value;
}

/// <summary>A sequence.</summary>
internal sealed record ComposeSequence(SourceLocation Location, IReadOnlyList<ComposeNode> Items) : ComposeNode(Location);
