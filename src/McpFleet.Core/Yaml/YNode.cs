using System.Globalization;

namespace McpFleet.Yaml;

/// <summary>A YAML node with the 1-based line and column where it starts, so every message can point at it.</summary>
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

    /// <summary>Gets a phrase for messages: "a string (\"x\")", "a number (5)", "null", "a mapping", "a list".</summary>
    /// <returns>The phrase.</returns>
    public abstract string Describe();
}

/// <summary>A scalar, with the YAML 1.2 core-schema type its plain form reads as.</summary>
public sealed class YScalar : YNode
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
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as a boolean.</summary>
    public bool IsBool => IsPlain && Value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as an int or a float (<c>.inf</c>, <c>.nan</c> too).</summary>
    public bool IsNumber => IsPlain && Value.Length > 0 && (IsIntegerText(Value)
        || Value is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or ".nan" or ".NaN" or ".NAN"
        || (double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && Value.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')));

    /// <summary>Gets a value indicating whether YAML 1.2 reads this scalar as a decimal, octal (<c>0o</c>) or hex (<c>0x</c>) integer.</summary>
    public bool IsInteger => IsPlain && IsIntegerText(Value);

    /// <inheritdoc/>
    public override string Describe() =>
        IsNull ? "null" : IsBool ? $"a boolean ({Value})" : IsNumber ? $"a number ({Value})" : $"a string (\"{Value}\")";

    /// <inheritdoc/>
    public override string ToString() => Value;

    private static bool IsIntegerText(string value)
    {
        var s = value.StartsWith('-') || value.StartsWith('+') ? value[1..] : value;
        if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            return s.Length > 2 && s[2..].All(char.IsAsciiHexDigit);
        }

        if (s.StartsWith("0o", StringComparison.Ordinal))
        {
            return s.Length > 2 && s[2..].All(c => c is >= '0' and <= '7');
        }

        return s.Length > 0 && s.All(char.IsAsciiDigit);
    }
}

/// <summary>A sequence.</summary>
public sealed class YSeq : YNode
{
    internal YSeq(IReadOnlyList<YNode> items, int line, int column)
        : base(line, column) => Items = items;

    /// <summary>Gets the items.</summary>
    public IReadOnlyList<YNode> Items { get; }

    /// <inheritdoc/>
    public override string Describe() => "a list";
}

/// <summary>A mapping with scalar keys, in written order; duplicate keys were reported and dropped (the first wins).</summary>
public sealed class YMap : YNode
{
    internal YMap(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, int line, int column)
        : base(line, column) => Entries = entries;

    /// <summary>Gets the entries; merged (<c>&lt;&lt;</c>) entries follow the ones written in the mapping itself.</summary>
    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; }

    /// <inheritdoc/>
    public override string Describe() => "a mapping";
}
