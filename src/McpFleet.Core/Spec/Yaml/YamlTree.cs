using McpFleet.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpFleet.Spec.Yaml;

/// <summary>A YAML node with its position; the loader's own tree, so duplicate keys are reported instead of thrown.</summary>
internal abstract record YNode(int Line, int Column)
{
    /// <summary>Gets a word for error messages: "a string", "a mapping", "a list".</summary>
    public abstract string Describe();
}

/// <summary>A scalar. <see cref="IsPlain"/> is false for quoted and block scalars and for an explicit <c>!!str</c> tag.</summary>
internal sealed record YScalar(int Line, int Column, string Value, bool IsPlain) : YNode(Line, Column)
{
    /// <summary>Gets a value indicating whether this is YAML's null (<c>~</c>, <c>null</c> or nothing at all).</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Gets a value indicating whether YAML 1.2 reads this plain scalar as a boolean.</summary>
    public bool IsBool => IsPlain && Value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    /// <summary>Gets a value indicating whether YAML 1.2 reads this plain scalar as a number.</summary>
    public bool IsNumber => IsPlain && YamlScalars.IsNumber(Value);

    /// <inheritdoc/>
    public override string Describe() =>
        IsNull ? "null" : IsBool ? $"a boolean ({Value})" : IsNumber ? $"a number ({Value})" : $"a string (\"{Value}\")";
}

/// <summary>A mapping, with its entries in written order (duplicates already reported and dropped).</summary>
internal sealed record YMapping(int Line, int Column, IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries) : YNode(Line, Column)
{
    /// <inheritdoc/>
    public override string Describe() => "a mapping";
}

/// <summary>A sequence.</summary>
internal sealed record YSequence(int Line, int Column, IReadOnlyList<YNode> Items) : YNode(Line, Column)
{
    /// <inheritdoc/>
    public override string Describe() => "a list";
}

/// <summary>YAML 1.2 core-schema tests on plain scalars.</summary>
internal static class YamlScalars
{
    /// <summary>Tells whether a plain scalar reads as an int or a float under the YAML 1.2 core schema.</summary>
    /// <param name="value">The scalar text.</param>
    /// <returns><see langword="true"/> for numbers, including <c>.inf</c> and <c>.nan</c>.</returns>
    public static bool IsNumber(string value) =>
        value.Length > 0 && (IsInteger(value)
            || value is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or ".nan" or ".NaN" or ".NAN"
            || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
               && value.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'));

    /// <summary>Tells whether a plain scalar is a decimal, octal (<c>0o</c>) or hex (<c>0x</c>) integer.</summary>
    /// <param name="value">The scalar text.</param>
    /// <returns><see langword="true"/> for integers.</returns>
    public static bool IsInteger(string value)
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

/// <summary>Reads one YAML file into a <see cref="YNode"/> tree from YamlDotNet's parser events.</summary>
/// <remarks>
/// YamlDotNet's representation model throws on the first duplicate key; building the tree from events lets the loader
/// report every duplicate with its position and keep going.
/// </remarks>
internal sealed class YamlTreeReader
{
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses <paramref name="text"/>; returns the root node, or <see langword="null"/> after reporting why not.</summary>
    /// <param name="file">The file path used in diagnostics.</param>
    /// <param name="text">The YAML text.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <returns>The root node of the single document, or <see langword="null"/>.</returns>
    public static YNode? Read(string file, string text, DiagnosticBag diagnostics) =>
        new YamlTreeReader(file, diagnostics).ReadStream(text);

    private YNode? ReadStream(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            YNode? root = null;
            var documents = 0;
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                documents++;
                var node = ReadNode(parser);
                parser.Consume<DocumentEnd>();
                if (documents == 1)
                {
                    root = node;
                }
                else if (documents == 2)
                {
                    _diagnostics.Error(SpecCodes.Document, At(start.Start),
                        "the file holds more than one YAML document; put one document in each file");
                }
            }

            parser.Consume<StreamEnd>();
            if (root is null || root is YScalar { IsNull: true })
            {
                _diagnostics.Error(SpecCodes.Document, SourceLocation.OfFile(_file), "the file is empty");
                return null;
            }

            return root;
        }
        catch (YamlException e)
        {
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndent(text, (int)e.Start.Line) is { } tab)
            {
                // YamlDotNet points at the scalar the tab interrupted; the tab itself is what to fix.
                _diagnostics.Error(SpecCodes.Syntax, tab, "YAML syntax error: a tab in the indentation; YAML indents with spaces only");
                return null;
            }

            _diagnostics.Error(SpecCodes.Syntax, At(e.Start), "YAML syntax error: " + CleanMessage(e));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some input cut short, e.g. an unclosed '[' at the end of the file.
            var at = parser.Current is { } last ? At(last.Start) : SourceLocation.OfFile(_file);
            _diagnostics.Error(SpecCodes.Syntax, at, "YAML syntax error: the file ends inside an unclosed [ ] or { } that starts here or before");
            return null;
        }
    }

    private YNode ReadNode(IParser parser)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // Aliases share the anchored node; positions stay those of the anchor, which is where the value was written.
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            // Report and read on as null, so the rest of the file is still checked.
            _diagnostics.Error(SpecCodes.Syntax, At(alias.Start), $"YAML syntax error: the alias *{alias.Value.Value} has no anchor &{alias.Value.Value} before it");
            return new YScalar(Line(alias.Start), Column(alias.Start), "", IsPlain: true);
        }

        YNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var explicitString = !scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str";
            node = new YScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value,
                scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && !explicitString);
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser));
            }

            node = new YSequence(Line(sequenceStart.Start), Column(sequenceStart.Start), items);
            anchor = sequenceStart.Anchor.IsEmpty ? null : sequenceStart.Anchor.Value;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            var seen = new Dictionary<string, YScalar>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser);
                var value = ReadNode(parser);
                if (keyNode is not YScalar key)
                {
                    _diagnostics.Error(SpecCodes.WrongType, new SourceLocation(_file, keyNode.Line, keyNode.Column),
                        $"a key must be a plain name, not {keyNode.Describe()}");
                    continue;
                }

                if (seen.TryGetValue(key.Value, out var first))
                {
                    _diagnostics.Error(SpecCodes.DuplicateKey, new SourceLocation(_file, key.Line, key.Column),
                        $"duplicate key '{key.Value}' (first written at line {first.Line}); YAML keeps only one, so remove the other");
                    continue;
                }

                seen.Add(key.Value, key);
                entries.Add(new(key, value));
            }

            node = new YMapping(Line(mappingStart.Start), Column(mappingStart.Start), entries);
            anchor = mappingStart.Anchor.IsEmpty ? null : mappingStart.Anchor.Value;
        }

        if (anchor is not null)
        {
            _anchors[anchor] = node;
        }

        return node;
    }

    private SourceLocation? FindTabIndent(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new SourceLocation(_file, i + 1, tab + 1);
            }
        }

        return null;
    }

    private SourceLocation At(Mark mark) => new(_file, Line(mark), Column(mark));

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;

    /// <summary>Drops YamlDotNet's "(Line: 3, Col: 5, Idx: 20) - (...): " prefix; the diagnostic carries the position.</summary>
    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }
}
