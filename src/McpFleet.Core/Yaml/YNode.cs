using System.Globalization;

namespace McpFleet.Yaml;

/// <summary>A YAML node with the 1-based line and column where it starts, so every message can point at it.</summary>
internal abstract class YNode
{
    private protected YNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Gets the 1-based line.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column.</summary>
    public int Column { get; }

    /// <summary>Gets a phrase for messages: "a string (\"x\")", "a number (5)", "null", "a mapping", "a list".</summary>
    /// <returns>The phrase.</returns>
    public abstract string Describe();
}

/// <summary>A scalar, with the YAML 1.2 core-schema type its plain form reads as.</summary>
internal sealed class YScalar : YNode
{
    internal YScalar(string value, bool plain, int line, int column)
        : base(line, column)
    {
        Value = value;
        IsPlain = plain;
    }

    /// <summary>Gets the text as written (after YAML unescaping).</summary>
    public string Value { get; }

    /// <summary>
    /// Gets a value indicating whether the scalar is plain: not quoted, not a block scalar and not tagged <c>!!str</c>,
    /// so YAML types it (<c>5</c> is a number, <c>"5"</c> a string).
    /// </summary>
    public bool IsPlain { get; }

    /// <summary>Gets a value indicating whether this is YAML's null (<c>~</c>, <c>null</c> or nothing at all).</summary>
    public bool IsNull => IsPlain && YamlScalars.IsCoreNull(Value);

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as a boolean.</summary>
    public bool IsBool => IsPlain && YamlScalars.IsCoreBool(Value);

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as an int or a float (<c>.inf</c>, <c>.nan</c> too).</summary>
    public bool IsNumber => IsPlain && YamlScalars.IsCoreNumber(Value);

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as a decimal, octal (<c>0o</c>) or hex (<c>0x</c>) integer.</summary>
    public bool IsInteger => IsPlain && YamlScalars.IsCoreInteger(Value);

    /// <inheritdoc/>
    public override string Describe() =>
        IsNull ? "null" : IsBool ? $"a boolean ({Value})" : IsNumber ? $"a number ({Value})" : $"a string (\"{Value}\")";

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Reads the scalar as a decimal integer, leniently (a quoted "5" too, as Kubernetes' int-or-string fields do).</summary>
    /// <returns>The value, or <see langword="null"/> when it is not an integer.</returns>
    public long? AsInt() =>
        long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Reads the scalar as a boolean (<c>true</c>/<c>false</c> in any case).</summary>
    /// <returns>The value, or <see langword="null"/> when it is not a boolean.</returns>
    public bool? AsBool() =>
        string.Equals(Value, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(Value, "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;
}

/// <summary>A sequence.</summary>
internal sealed class YSeq : YNode
{
    internal YSeq(IReadOnlyList<YNode> items, int line, int column)
        : base(line, column) => Items = items;

    /// <summary>Gets the items.</summary>
    public IReadOnlyList<YNode> Items { get; }

    /// <summary>Gets the items that are mappings.</summary>
    public IEnumerable<YMap> Maps => Items.OfType<YMap>();

    /// <summary>Gets the non-null scalar items as strings.</summary>
    public IEnumerable<string> Strings => Items.OfType<YScalar>().Where(s => !s.IsNull).Select(s => s.Value);

    /// <inheritdoc/>
    public override string Describe() => "a list";
}

/// <summary>A mapping with scalar keys, in written order; duplicate keys were reported and dropped (the first wins).</summary>
internal sealed class YMap : YNode
{
    private Dictionary<string, int>? _index;

    internal YMap(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, int line, int column)
        : base(line, column) => Entries = entries;

    /// <summary>Gets the entries; merged (<c>&lt;&lt;</c>) entries follow the ones written in the mapping itself.</summary>
    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; }

    /// <inheritdoc/>
    public override string Describe() => "a mapping";

    /// <summary>Gets the value of <paramref name="key"/>, or <see langword="null"/> when absent or YAML null.</summary>
    /// <param name="key">The key.</param>
    public YNode? this[string key] =>
        IndexOf(key) is var i and >= 0 && Entries[i].Value is not YScalar { IsNull: true } ? Entries[i].Value : null;

    /// <summary>Gets the key node of <paramref name="key"/> (where a message about the field points).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key scalar, or <see langword="null"/>.</returns>
    public YScalar? KeyNode(string key) => IndexOf(key) is var i and >= 0 ? Entries[i].Key : null;

    /// <summary>Gets a nested mapping.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The mapping, or <see langword="null"/>.</returns>
    public YMap? Map(string key) => this[key] as YMap;

    /// <summary>Gets a nested sequence.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The sequence, or <see langword="null"/>.</returns>
    public YSeq? Seq(string key) => this[key] as YSeq;

    /// <summary>Gets the mappings of a nested sequence (empty when absent).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The mappings.</returns>
    public IEnumerable<YMap> Maps(string key) => Seq(key)?.Maps ?? [];

    /// <summary>Gets a scalar's text.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public string? Str(string key) => (this[key] as YScalar)?.Value;

    /// <summary>Gets a scalar as an integer.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The integer, or <see langword="null"/>.</returns>
    public long? Number(string key) => (this[key] as YScalar)?.AsInt();

    /// <summary>Gets a scalar as a boolean.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The boolean, or <see langword="null"/>.</returns>
    public bool? Bool(string key) => (this[key] as YScalar)?.AsBool();

    /// <summary>Reads a mapping of strings (labels, annotations, nodeSelector); non-scalar values are skipped.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The pairs; empty when absent.</returns>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        if (Map(key) is not { } m)
        {
            return s_empty;
        }

        var result = new Dictionary<string, string>(m.Entries.Count, StringComparer.Ordinal);
        foreach (var (k, v) in m.Entries)
        {
            if (v is YScalar s)
            {
                result.TryAdd(k.Value, s.IsNull ? "" : s.Value);
            }
        }

        return result;
    }

    /// <summary>The index of the entry with <paramref name="key"/>, or -1: a scan in a small mapping, a hash lookup in a large one.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The index.</returns>
    public int IndexOf(string key)
    {
        if (Entries.Count < MappingKeys.IndexThreshold)
        {
            return IndexOf(Entries, key);
        }

        // Built on first use and never changed after; two threads racing build equal indexes and one of them is kept.
        var index = Volatile.Read(ref _index);
        if (index is null)
        {
            index = new Dictionary<string, int>(Entries.Count, StringComparer.Ordinal);
            for (var i = 0; i < Entries.Count; i++)
            {
                index.TryAdd(Entries[i].Key.Value, i);
            }

            index = Interlocked.CompareExchange(ref _index, index, null) ?? index;
        }

        return index.TryGetValue(key, out var at) ? at : -1;
    }

    /// <summary>Finds <paramref name="key"/> in entries; the reader checks for duplicates with it before the map exists.</summary>
    /// <remarks>No delegate: a 10 000-object bundle has hundreds of thousands of small mappings.</remarks>
    internal static int IndexOf(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, string key)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Key.Value == key)
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly Dictionary<string, string> s_empty = new(StringComparer.Ordinal);
}
