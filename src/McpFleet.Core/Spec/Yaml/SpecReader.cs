using System.Globalization;
using McpFleet.Diagnostics;
using McpFleet.Spec.Validation;
using McpFleet.Yaml;

namespace McpFleet.Spec.Yaml;

/// <summary>
/// Typed, position-aware access to one spec file's YAML tree. Every accessor reports what is wrong (wrong type,
/// missing key) and returns <see langword="null"/> instead of throwing, so one run finds every problem.
/// </summary>
internal sealed class SpecReader(string file, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    /// <summary>Gets the file path used in diagnostics.</summary>
    public string File { get; } = file;

    /// <summary>Gets the bag that every problem goes to.</summary>
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>Builds the source map of everything read so far.</summary>
    public SourceMap ToSourceMap() => new(File, new Dictionary<string, SourceLocation>(_locations, StringComparer.Ordinal));

    /// <summary>Gets the location of a node.</summary>
    public SourceLocation At(YNode node) => new(File, node.Line, node.Column);

    /// <summary>Records where <paramref name="path"/> was written.</summary>
    public void Record(string path, YNode node) => _locations.TryAdd(path, At(node));

    /// <summary>Reports an error at <paramref name="node"/>.</summary>
    public void Error(string code, YNode node, string message) => Diagnostics.Error(code, At(node), message);

    /// <summary>Reports a warning at <paramref name="node"/>.</summary>
    public void Warning(string code, YNode node, string message) => Diagnostics.Warning(code, At(node), message);

    /// <summary>Opens <paramref name="node"/> as a mapping with the given keys; reports unknown keys.</summary>
    /// <param name="node">The node, or <see langword="null"/> when absent.</param>
    /// <param name="path">Its path, e.g. <c>resources.limits</c>; empty for the root.</param>
    /// <param name="keys">The keys the spec defines here.</param>
    /// <returns>The mapping, or <see langword="null"/> when absent or not a mapping.</returns>
    public MappingReader? Mapping(YNode? node, string path, IReadOnlyList<string> keys)
    {
        if (node is null || node is YScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YMap mapping)
        {
            Error(SpecCodes.WrongType, node, $"{Describe(path)} must be a mapping, not {node.Describe()}");
            return null;
        }

        foreach (var (key, _) in mapping.Entries)
        {
            if (!keys.Contains(key.Value))
            {
                var suggestion = SpecText.Closest(key.Value, keys);
                var hint = suggestion is not null
                    ? $"; did you mean '{suggestion}'?"
                    : $"; known keys here: {string.Join(", ", keys)}";
                Error(SpecCodes.UnknownKey, key, $"unknown key '{Join(path, key.Value)}'{hint}");
            }
        }

        return new MappingReader(this, mapping, path);
    }

    /// <summary>Opens <paramref name="node"/> as a mapping whose keys are free (env, labels): string → scalar.</summary>
    /// <returns>The entries with their key nodes, or <see langword="null"/>.</returns>
    public IReadOnlyList<(YScalar Key, string Value)>? StringMap(YNode? node, string path)
    {
        if (node is null || node is YScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YMap mapping)
        {
            Error(SpecCodes.WrongType, node, $"{Describe(path)} must be a mapping of names to values, not {node.Describe()}");
            return null;
        }

        var result = new List<(YScalar, string)>();
        foreach (var (key, value) in mapping.Entries)
        {
            var itemPath = Join(path, key.Value);
            Record(itemPath, value is YScalar ? value : key);
            if (value is YScalar scalar)
            {
                // Env values and labels are strings in Kubernetes; keep the written text (so 010 stays 010).
                result.Add((key, scalar.IsNull ? "" : scalar.Value));
            }
            else
            {
                Error(SpecCodes.WrongType, value, $"'{itemPath}' must be a string, not {value.Describe()}");
            }
        }

        return result;
    }

    /// <summary>Opens <paramref name="node"/> as a list.</summary>
    /// <returns>The items, or <see langword="null"/> when absent or not a list.</returns>
    public IReadOnlyList<YNode>? Sequence(YNode? node, string path)
    {
        if (node is null || node is YScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YSeq sequence)
        {
            Error(SpecCodes.WrongType, node, $"{Describe(path)} must be a list, not {node.Describe()}");
            return null;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            Record($"{path}[{i}]", sequence.Items[i]);
        }

        return sequence.Items;
    }

    /// <summary>Reads a string. Numbers and booleans are accepted as their text, except where the caller forbids it.</summary>
    public string? String(YNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YScalar scalar)
        {
            if (scalar.IsNull)
            {
                Error(SpecCodes.WrongType, node, $"'{path}' has no value");
                return null;
            }

            return scalar.Value;
        }

        Error(SpecCodes.WrongType, node, $"'{path}' must be a string, not {node.Describe()}");
        return null;
    }

    /// <summary>Reads a list of strings.</summary>
    public IReadOnlyList<string>? StringList(YNode? node, string path)
    {
        var items = Sequence(node, path);
        if (items is null)
        {
            return null;
        }

        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (String(items[i], $"{path}[{i}]") is { } s)
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>Reads an integer written as a plain YAML number (a quoted <c>"9005"</c> is a string, and wrong).</summary>
    public int? Int(YNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YScalar { IsInteger: true } scalar)
        {
            if (IntegerSpelling(scalar.Value) is { } problem)
            {
                Error(SpecCodes.WrongType, node, $"'{path}' {problem}");
                return null;
            }

            if (int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(SpecCodes.WrongType, node, $"'{path}' is out of range: {scalar.Value}");
            return null;
        }

        var hint = node is YScalar { IsPlain: false } quoted && int.TryParse(quoted.Value, CultureInfo.InvariantCulture, out _)
            ? "; remove the quotes"
            : "";
        Error(SpecCodes.WrongType, node, $"'{path}' must be an integer, not {node.Describe()}{hint}");
        return null;
    }

    /// <summary>
    /// Integers are written in plain decimal. Hex (<c>0x2328</c>) and octal (<c>0o21450</c>) are YAML 1.2 integers, a
    /// leading zero (<c>09000</c>) is octal to YAML 1.1 readers such as Helm's, and a leading <c>+</c> is easy to
    /// miss: each reads as a number nobody meant to write, so each is an error that gives the decimal form.
    /// </summary>
    private static string? IntegerSpelling(string text)
    {
        var sign = text[0] is '-' or '+' ? text[..1] : "";
        var digits = text[sign.Length..];
        var radix = digits.StartsWith("0x", StringComparison.Ordinal) ? 16 : digits.StartsWith("0o", StringComparison.Ordinal) ? 8 : 10;
        if (radix != 10)
        {
            var kind = radix == 16 ? "hexadecimal" : "octal";
            return TryParse(digits[2..], radix, out var magnitude)
                ? $"is written in {kind} ({text}); write it in decimal: {(sign == "-" ? "-" : "")}{magnitude.ToString(CultureInfo.InvariantCulture)}"
                : $"is written in {kind} ({text}), and is out of range";
        }

        var plain = digits.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
        var fixedText = (sign == "-" && plain != "0" ? "-" : "") + plain;
        if (digits.Length > 1 && digits[0] == '0')
        {
            return $"has a leading zero ({text}), which YAML 1.1 readers such as Helm take for octal; write {fixedText}";
        }

        return sign == "+" ? $"has a leading '+' ({text}); write {fixedText}" : null;
    }

    private static bool TryParse(string digits, int radix, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
            if (value > (long.MaxValue - d) / radix)
            {
                return false;
            }

            value = (value * radix) + d;
        }

        return digits.Length > 0;
    }

    /// <summary>Gets a short description of <paramref name="path"/> for messages: the file's root or a quoted key.</summary>
    public static string Describe(string path) => path.Length == 0 ? "the file" : $"'{path}'";

    /// <summary>Joins a parent path and a key.</summary>
    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}

/// <summary>A mapping being read by a <see cref="SpecReader"/>.</summary>
internal sealed class MappingReader(SpecReader reader, YMap mapping, string path)
{
    /// <summary>Gets the mapping node.</summary>
    public YMap Node { get; } = mapping;

    /// <summary>Gets the mapping's path.</summary>
    public string Path { get; } = path;

    /// <summary>Gets the value of <paramref name="key"/> and records its location, or reports it missing when required.</summary>
    public YNode? Get(string key, bool required = false)
    {
        foreach (var (k, v) in Node.Entries)
        {
            if (k.Value == key)
            {
                // Scalars point at the value; collections at their key, which is the line a person looks for.
                reader.Record(ChildPath(key), v is YScalar ? v : k);
                return v;
            }
        }

        if (required)
        {
            reader.Error(SpecCodes.Required, Node, $"missing required key '{ChildPath(key)}'");
        }

        return null;
    }

    /// <summary>Tells whether <paramref name="key"/> is written.</summary>
    public bool Has(string key) => Node.Entries.Any(e => e.Key.Value == key);

    /// <summary>Gets the path of a child key.</summary>
    public string ChildPath(string key) => SpecReader.Join(Path, key);

    /// <summary>Reads a string key.</summary>
    public string? String(string key, bool required = false)
    {
        var value = reader.String(Get(key, required), ChildPath(key));
        if (required && value is { Length: 0 })
        {
            reader.Error(SpecCodes.Required, Get(key)!, $"'{ChildPath(key)}' must not be empty");
            return null;
        }

        return value;
    }

    /// <summary>Reads an integer key.</summary>
    public int? Int(string key, bool required = false) => reader.Int(Get(key, required), ChildPath(key));

    /// <summary>Reads a list of strings.</summary>
    public IReadOnlyList<string>? StringList(string key) => reader.StringList(Get(key), ChildPath(key));
}
