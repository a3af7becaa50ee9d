using System.Globalization;

namespace McpFleet.Linting;

/// <summary>A YAML node with the 1-based line and column where it starts, so every finding can point at its field.</summary>
public abstract class YNode
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
}

/// <summary>A scalar. Plain <c>null</c>, <c>~</c> and empty scalars are null (<see cref="IsNull"/>).</summary>
public sealed class YScalar : YNode
{
    internal YScalar(string value, bool plain, int line, int column)
        : base(line, column)
    {
        Value = value;
        IsPlain = plain;
    }

    /// <summary>Gets the text.</summary>
    public string Value { get; }

    /// <summary>Gets a value indicating whether the scalar was unquoted (so <c>true</c> and <c>5</c> are typed).</summary>
    public bool IsPlain { get; }

    /// <summary>Gets a value indicating whether the scalar is YAML null.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Reads the scalar as an integer.</summary>
    /// <returns>The value, or <see langword="null"/> when it is not an integer.</returns>
    public long? AsInt() =>
        long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Reads the scalar as a boolean (<c>true</c>/<c>false</c> in any case).</summary>
    /// <returns>The value, or <see langword="null"/> when it is not a boolean.</returns>
    public bool? AsBool() =>
        string.Equals(Value, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(Value, "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>A sequence.</summary>
public sealed class YSeq : YNode
{
    internal YSeq(List<YNode> items, int line, int column)
        : base(line, column) => Items = items;

    /// <summary>Gets the items.</summary>
    public IReadOnlyList<YNode> Items { get; }

    /// <summary>Gets the items that are mappings.</summary>
    public IEnumerable<YMap> Maps => Items.OfType<YMap>();

    /// <summary>Gets the non-null scalar items as strings.</summary>
    public IEnumerable<string> Strings => Items.OfType<YScalar>().Where(s => !s.IsNull).Select(s => s.Value);
}

/// <summary>A mapping with string keys. When a key repeats, the first one wins (the loader reports the duplicate).</summary>
public sealed class YMap : YNode
{
    // Most mappings have a handful of keys: a linear scan beats a dictionary there, and a 10 000-object bundle
    // has hundreds of thousands of mappings. Large ones get an index.
    private const int IndexThreshold = 8;
    private readonly List<KeyValuePair<YScalar, YNode>> _entries;
    private readonly Dictionary<string, int>? _index;

    internal YMap(List<KeyValuePair<YScalar, YNode>> entries, int line, int column)
        : base(line, column)
    {
        _entries = entries;
        if (entries.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
            {
                _index.TryAdd(entries[i].Key.Value, i);
            }
        }
    }

    /// <summary>Gets the entries in written order (duplicates included).</summary>
    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries => _entries;

    /// <summary>Gets the value of <paramref name="key"/>, or <see langword="null"/> when absent or YAML null.</summary>
    /// <param name="key">The key.</param>
    public YNode? this[string key] =>
        IndexOf(key) is var i and >= 0 && _entries[i].Value is not YScalar { IsNull: true } ? _entries[i].Value : null;

    /// <summary>Gets the key node of <paramref name="key"/> (where a finding about the field points).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key scalar, or <see langword="null"/>.</returns>
    public YScalar? KeyNode(string key) => IndexOf(key) is var i and >= 0 ? _entries[i].Key : null;

    /// <summary>The index of the first entry with <paramref name="key"/>, or -1.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The index.</returns>
    internal int IndexOf(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var found) ? found : -1;
        }

        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key.Value == key)
            {
                return i;
            }
        }

        return -1;
    }

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

    /// <summary>Reads a mapping of strings (labels, annotations, nodeSelector).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The pairs; empty when absent.</returns>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        if (Map(key) is not { } m)
        {
            return s_empty;
        }

        var result = new Dictionary<string, string>(m._entries.Count, StringComparer.Ordinal);
        foreach (var (k, v) in m._entries)
        {
            if (v is YScalar s)
            {
                result.TryAdd(k.Value, s.IsNull ? "" : s.Value);
            }
        }

        return result;
    }

    /// <summary>Follows a dotted path of mapping keys.</summary>
    /// <param name="path">For example <c>spec.template.spec</c>.</param>
    /// <returns>The node, or <see langword="null"/>.</returns>
    public YNode? At(string path)
    {
        YNode? current = this;
        foreach (var part in path.Split('.'))
        {
            current = (current as YMap)?[part];
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static readonly Dictionary<string, string> s_empty = new(StringComparer.Ordinal);
}
