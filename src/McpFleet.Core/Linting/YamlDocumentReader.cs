using McpFleet.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpFleet.Linting;

/// <summary>One YAML document of a file: its root node and the 1-based index of the document in the file.</summary>
/// <param name="Root">The root node.</param>
/// <param name="Index">The document's index in its file, from 1.</param>
public sealed record YDocument(YNode Root, int Index);

/// <summary>
/// Reads multi-document YAML into <see cref="YNode"/> trees that keep the line and column of every node. Syntax errors
/// and duplicate keys become problems with a location; the documents read before a syntax error are kept.
/// </summary>
public static class YamlDocumentReader
{
    /// <summary>Reads every document of <paramref name="text"/>.</summary>
    /// <param name="file">The file name used in problem locations.</param>
    /// <param name="text">The YAML text.</param>
    /// <param name="problems">Receives syntax errors and duplicate keys.</param>
    /// <returns>The non-empty documents.</returns>
    public static IReadOnlyList<YDocument> Read(string file, string text, List<(SourceLocation Location, string Message)> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var documents = new List<YDocument>();
        var state = new State(file, problems);
        try
        {
            var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
            parser.Consume<StreamStart>();
            var index = 0;
            while (parser.TryConsume<DocumentStart>(out _))
            {
                index++;
                state.Anchors.Clear();
                var root = state.ReadNode(parser);
                parser.Consume<DocumentEnd>();
                if (root is not YScalar { IsNull: true })
                {
                    documents.Add(new YDocument(root, index));
                }
            }
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && e.Message.Contains("See inner", StringComparison.Ordinal) ? inner.Message : e.Message;
            problems.Add((new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), "YAML syntax error: " + Trim(message)));
        }

        return documents;
    }

    private static string Trim(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is already in the finding.
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
    }

    private sealed class State(string file, List<(SourceLocation Location, string Message)> problems)
    {
        public Dictionary<string, YNode> Anchors { get; } = new(StringComparer.Ordinal);

        public YNode ReadNode(IParser parser)
        {
            var start = parser.Current!.Start;
            var line = (int)start.Line;
            var column = (int)start.Column;
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (Anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
            }

            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty, line, column);
                return Remember(scalar.Anchor, node);
            }

            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser));
                }

                return Remember(seqStart.Anchor, new YSeq(items, line, column));
            }

            var mapStart = parser.Consume<MappingStart>();
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            HashSet<string>? mergedKeys = null;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser);
                var value = ReadNode(parser);
                var key = keyNode as YScalar ?? new YScalar("?", plain: false, keyNode.Line, keyNode.Column);
                if (key.Value == "<<" && key.IsPlain && value is YMap merged)
                {
                    // A merge key: copy the merged entries that this mapping does not set itself.
                    foreach (var entry in merged.Entries)
                    {
                        if (Find(entries, entry.Key.Value) < 0)
                        {
                            entries.Add(entry);
                            (mergedKeys ??= new(StringComparer.Ordinal)).Add(entry.Key.Value);
                        }
                    }

                    continue;
                }

                var existing = Find(entries, key.Value);
                if (existing >= 0 && mergedKeys is not null && mergedKeys.Remove(key.Value))
                {
                    // An explicit key overrides a merged one wherever it is written.
                    entries[existing] = new KeyValuePair<YScalar, YNode>(key, value);
                    continue;
                }

                if (existing >= 0)
                {
                    var first = entries[existing].Key;
                    problems.Add((new SourceLocation(file, key.Line, key.Column),
                        $"duplicate key '{key.Value}' (first at line {first.Line}); Kubernetes keeps only one of them"));
                }

                entries.Add(new KeyValuePair<YScalar, YNode>(key, value));
            }

            return Remember(mapStart.Anchor, new YMap(entries, line, column));
        }

        // Linear: mappings are small; a pathological 10 000-key mapping costs a quadratic scan once, at load.
        private static int Find(List<KeyValuePair<YScalar, YNode>> entries, string key)
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

        private YNode Remember(AnchorName anchor, YNode node)
        {
            if (!anchor.IsEmpty)
            {
                Anchors[anchor.Value] = node;
            }

            return node;
        }
    }
}
