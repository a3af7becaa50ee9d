using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpFleet.Yaml;

/// <summary>What kind of problem the reader found.</summary>
internal enum YamlProblemKind
{
    /// <summary>The text is not YAML; reading stopped here.</summary>
    Syntax,

    /// <summary>A key repeats in a mapping; the later one was dropped.</summary>
    DuplicateKey,

    /// <summary>A key is a mapping or a list; the entry was dropped.</summary>
    ComplexKey,

    /// <summary>An alias names no anchor before it; it reads as null.</summary>
    UnknownAlias,

    /// <summary>The nesting (aliases counted as the trees they stand for) goes deeper than the reader's limit; reading stopped here.</summary>
    TooDeep,
}

/// <summary>A problem found while reading, at a 1-based line and column. Callers choose the code and may reword it.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Message">What went wrong, without the position.</param>
internal sealed record YamlProblem(YamlProblemKind Kind, int Line, int Column, string Message)
{
    /// <summary>Gets the repeated key, for <see cref="YamlProblemKind.DuplicateKey"/>.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the line of the key's first occurrence, for <see cref="YamlProblemKind.DuplicateKey"/>.</summary>
    public int FirstLine { get; init; }
}

/// <summary>One document of a stream.</summary>
/// <param name="Root">The root node; a null scalar for an empty document.</param>
/// <param name="Index">The 1-based index of the document in its stream.</param>
/// <param name="Line">The line where the document starts.</param>
/// <param name="Column">The column where the document starts.</param>
internal sealed record YDocument(YNode Root, int Index, int Line, int Column);

/// <summary>The documents of a YAML stream and the problems found reading it.</summary>
/// <param name="Documents">The documents read, up to a syntax error.</param>
/// <param name="Problems">Problems in the order found.</param>
internal sealed record YamlReadResult(IReadOnlyList<YDocument> Documents, IReadOnlyList<YamlProblem> Problems)
{
    /// <summary>Gets a value indicating whether a syntax error or too deep a nesting stopped reading (so documents may be missing).</summary>
    public bool Failed => Problems.Any(p => p.Kind is YamlProblemKind.Syntax or YamlProblemKind.TooDeep);
}

/// <summary>Reads YAML into <see cref="YNode"/> trees from YamlDotNet's parser events.</summary>
/// <remarks>
/// YamlDotNet's representation model throws on the first duplicate key and keeps no positions on keys; building the
/// tree from events lets every caller report every problem with its position and keep going.
/// </remarks>
internal sealed class YamlReader
{
    /// <summary>
    /// The deepest nesting read (the root is level 1). Specs and manifests nest a dozen levels; the limit keeps every
    /// recursive walk of a tree, here and in its consumers, far from the end of a thread's stack.
    /// </summary>
    internal const int MaxDepth = 500;

    private readonly bool _mergeKeys;
    private readonly List<YamlProblem> _problems = [];
    private readonly Dictionary<string, (YNode Node, int Height)> _anchors = new(StringComparer.Ordinal);

    private YamlReader(bool mergeKeys) => _mergeKeys = mergeKeys;

    /// <summary>Reads every document of <paramref name="text"/>; never throws for bad YAML.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="mergeKeys">
    /// Whether a plain <c>&lt;&lt;</c> key merges a mapping (or a list of mappings) into its parent; off, it is an
    /// ordinary key, for formats that do not allow merges.
    /// </param>
    /// <returns>The documents and problems.</returns>
    public static YamlReadResult Read(string text, bool mergeKeys = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return BlockYamlReader.TryRead(text) is { } documents ? new YamlReadResult(documents, []) : ReadWithYamlDotNet(text, mergeKeys);
    }

    /// <summary>Reads with YamlDotNet's parser: any YAML, every problem. <see cref="Read"/> uses it when the fast reader gives up.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="mergeKeys">Whether <c>&lt;&lt;</c> merges.</param>
    /// <returns>The documents and problems.</returns>
    internal static YamlReadResult ReadWithYamlDotNet(string text, bool mergeKeys = false)
    {
        var reader = new YamlReader(mergeKeys);
        var documents = reader.ReadStream(text);
        return new YamlReadResult(documents, reader._problems);
    }

    private List<YDocument> ReadStream(string text)
    {
        var documents = new List<YDocument>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                _anchors.Clear();
                var root = ReadNode(parser, 1, out _);
                parser.Consume<DocumentEnd>();
                documents.Add(new YDocument(root, documents.Count + 1, Line(start.Start), Column(start.Start)));
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndent(text, Line(e.Start)) is var (line, column))
            {
                // YamlDotNet points at the scalar the tab interrupted; the tab itself is what to fix.
                _problems.Add(new(YamlProblemKind.Syntax, line, column, "a tab in the indentation; YAML indents with spaces only"));
            }
            else
            {
                _problems.Add(new(YamlProblemKind.Syntax, Line(e.Start), Column(e.Start), CleanMessage(e)));
            }
        }
        catch (TooDeepException e)
        {
            _problems.Add(new(YamlProblemKind.TooDeep, Line(e.At), Column(e.At), e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some input cut short, e.g. an unclosed '[' at the end of the file.
            var at = parser.Current?.Start ?? Mark.Empty;
            _problems.Add(new(YamlProblemKind.Syntax, Line(at), Column(at), "the file ends inside an unclosed [ ] or { } that starts here or before"));
        }

        return documents;
    }

    /// <summary>Reads the node at nesting level <paramref name="depth"/> (the root is 1) and gives its height (a scalar is 1).</summary>
    /// <remarks>
    /// YamlDotNet keeps its own nesting in explicit stacks (libyaml's state machine), so this recursion is the only one
    /// that grows with the input; <see cref="MaxDepth"/> bounds it. An alias counts as the tree it stands for, so a chain
    /// of aliases cannot build a deeper tree than the limit for the code that walks the result.
    /// </remarks>
    private YNode ReadNode(IParser parser, int depth, out int height)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // Aliases share the anchored node; positions stay those of the anchor, which is where the value was written.
            if (_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                height = target.Height;
                if (depth - 1 + height > MaxDepth)
                {
                    throw new TooDeepException(alias.Start, $"the alias *{alias.Value.Value} nests its anchor's {height} levels below level {depth - 1}, deeper than the {MaxDepth} levels McpFleet reads");
                }

                return target.Node;
            }

            // Read on as null, so the rest of the file is still checked.
            var name = alias.Value.Value;
            _problems.Add(new(YamlProblemKind.UnknownAlias, Line(alias.Start), Column(alias.Start), $"the alias *{name} has no anchor &{name} before it"));
            height = 1;
            return new YScalar("", plain: true, Line(alias.Start), Column(alias.Start));
        }

        var start = parser.Current!.Start;
        if (depth > MaxDepth)
        {
            throw new TooDeepException(start, $"the YAML nests deeper than {MaxDepth} levels here; McpFleet reads at most {MaxDepth}");
        }

        YNode node;
        NodeEvent nodeEvent;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var explicitString = !scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str";
            node = new YScalar(scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && !explicitString, Line(start), Column(start));
            nodeEvent = scalar;
            height = 1;
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YNode>();
            var below = 0;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, depth + 1, out var itemHeight));
                below = Math.Max(below, itemHeight);
            }

            node = new YSeq(items, Line(start), Column(start));
            nodeEvent = sequenceStart;
            height = below + 1;
        }
        else
        {
            nodeEvent = parser.Consume<MappingStart>();
            node = new YMap(ReadEntries(parser, depth, out var below), Line(start), Column(start));
            height = below + 1;
        }

        if (!nodeEvent.Anchor.IsEmpty)
        {
            _anchors[nodeEvent.Anchor.Value] = (node, height);
        }

        return node;
    }

    private List<KeyValuePair<YScalar, YNode>> ReadEntries(IParser parser, int depth, out int below)
    {
        var entries = new List<KeyValuePair<YScalar, YNode>>();
        var keys = default(MappingKeys);
        List<KeyValuePair<YScalar, YNode>>? merged = null;
        var mergedKeys = default(MappingKeys);
        below = 0;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, depth + 1, out var keyHeight);
            var value = ReadNode(parser, depth + 1, out var valueHeight);
            below = Math.Max(below, Math.Max(keyHeight, valueHeight));
            if (keyNode is not YScalar key)
            {
                _problems.Add(new(YamlProblemKind.ComplexKey, keyNode.Line, keyNode.Column, $"a key must be a plain name, not {keyNode.Describe()}"));
                continue;
            }

            if (_mergeKeys && key is { IsPlain: true, Value: "<<" })
            {
                // Earlier merged mappings win over later ones; keys written here win over all (added below).
                merged ??= [];
                foreach (var source in value is YSeq list ? list.Items : [value])
                {
                    foreach (var entry in (source as YMap)?.Entries ?? [])
                    {
                        if (mergedKeys.IndexOf(merged, entry.Key.Value) < 0)
                        {
                            mergedKeys.Add(merged, entry);
                        }
                    }
                }

                continue;
            }

            if (keys.IndexOf(entries, key.Value) is var first and >= 0)
            {
                var firstLine = entries[first].Key.Line;
                _problems.Add(new(YamlProblemKind.DuplicateKey, key.Line, key.Column, $"duplicate key '{key.Value}' (first written at line {firstLine})")
                {
                    Key = key.Value,
                    FirstLine = firstLine,
                });
                continue;
            }

            keys.Add(entries, new(key, value));
        }

        foreach (var entry in merged ?? [])
        {
            if (keys.IndexOf(entries, entry.Key.Value) < 0)
            {
                keys.Add(entries, entry);
            }
        }

        return entries;
    }

    private static (int Line, int Column)? FindTabIndent(string text, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;

    /// <summary>Stops reading at a node nested deeper than <see cref="MaxDepth"/>.</summary>
    private sealed class TooDeepException(Mark at, string message) : Exception(message)
    {
        public Mark At { get; } = at;
    }

    /// <summary>Drops YamlDotNet's "(Line: 3, Col: 5, Idx: 20) - (...): " prefix; the problem carries the position.</summary>
    private static string CleanMessage(YamlException e)
    {
        var message = e.InnerException is { } inner && e.Message.Contains("See inner", StringComparison.Ordinal) ? inner.Message : e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }
}
