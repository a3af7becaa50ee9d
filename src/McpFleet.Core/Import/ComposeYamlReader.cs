using McpFleet.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpFleet.Import;

/// <summary>
/// Reads one Compose file into a <see cref="ComposeNode"/> tree from YamlDotNet's parser events, interpolating every
/// scalar value (never keys, as Compose does), resolving anchors, aliases and <c>&lt;&lt;</c> merge keys.
/// </summary>
internal sealed class ComposeYamlReader
{
    private readonly string _displayPath;
    private readonly Interpolator _interpolator;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, ComposeNode> _anchors = new(StringComparer.Ordinal);

    private ComposeYamlReader(string displayPath, Interpolator interpolator, DiagnosticBag diagnostics)
    {
        _displayPath = displayPath;
        _interpolator = interpolator;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads <paramref name="text"/>; syntax errors and duplicate keys go to <paramref name="diagnostics"/>.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="displayPath">The path used in locations.</param>
    /// <param name="interpolator">Resolves <c>${VAR}</c>.</param>
    /// <param name="diagnostics">Receives errors.</param>
    /// <returns>The root node, or <see langword="null"/> when the file is empty or does not parse.</returns>
    public static ComposeNode? Read(string text, string displayPath, Interpolator interpolator, DiagnosticBag diagnostics)
    {
        var reader = new ComposeYamlReader(displayPath, interpolator, diagnostics);
        try
        {
            using var input = new StringReader(text);
            var parser = new Parser(input);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = reader.ReadNode(parser);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var start = parser.Current?.Start ?? Mark.Empty;
                diagnostics.Error(ImportCodes.Syntax, reader.At(start), "a Compose file holds one YAML document; found a second one");
                return null;
            }

            return root;
        }
        catch (YamlException e)
        {
            diagnostics.Error(ImportCodes.Syntax, reader.At(e.Start), "invalid YAML: " + TrimYamlMessage(e.Message));
            return null;
        }
    }

    private static string TrimYamlMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is ours to print.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private SourceLocation At(Mark mark) => new(_displayPath, (int)mark.Line, (int)mark.Column);

    private ComposeNode ReadNode(IParser parser)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = ReadScalar(scalar);
            Remember(scalar.Anchor, node);
            return node;
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<ComposeNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser));
            }

            var node = new ComposeSequence(At(sequenceStart.Start), items);
            Remember(sequenceStart.Anchor, node);
            return node;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var entries = new List<KeyValuePair<string, ComposeNode>>();
        var merged = new List<KeyValuePair<string, ComposeNode>>();
        var keyLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current;
            var keyNode = ReadKey(parser);
            var value = ReadNode(parser);
            if (keyNode is null)
            {
                continue;
            }

            var (key, plain) = keyNode.Value;
            if (key == "<<" && plain)
            {
                // YAML merge key: the explicit keys of this mapping win over merged ones, earlier merges over later.
                foreach (var source in value is ComposeSequence s ? s.Items : [value])
                {
                    if (source is ComposeMap map)
                    {
                        merged.AddRange(map.Entries.Where(e => !merged.Exists(m => m.Key == e.Key)));
                    }
                }

                continue;
            }

            if (entries.Exists(e => e.Key == key))
            {
                _diagnostics.Error(ImportCodes.Syntax, At(keyEvent!.Start), $"duplicate key '{key}'");
                continue;
            }

            entries.Add(new(key, value));
            keyLocations[key] = At(keyEvent!.Start);
        }

        entries.AddRange(merged.Where(m => !entries.Exists(e => e.Key == m.Key)));
        var mapNode = new ComposeMap(At(mappingStart.Start), entries) { KeyLocations = keyLocations };
        Remember(mappingStart.Anchor, mapNode);
        return mapNode;
    }

    private (string Key, bool Plain)? ReadKey(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return (scalar.Value, scalar.Style == ScalarStyle.Plain);
        }

        var start = parser.Current?.Start ?? Mark.Empty;
        _ = ReadNode(parser);
        _diagnostics.Error(ImportCodes.Syntax, At(start), "a mapping key must be a string");
        return null;
    }

    private ComposeScalar ReadScalar(Scalar scalar)
    {
        var location = At(scalar.Start);
        var plain = scalar.Style == ScalarStyle.Plain;
        if (plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL")
        {
            return ComposeScalar.Of(location, null);
        }

        var (value, variables) = _interpolator.Interpolate(scalar.Value, location);
        return new ComposeScalar(location, value, variables) { Raw = scalar.Value };
    }

    private void Remember(AnchorName anchor, ComposeNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
    }
}
