using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Import;

/// <summary>
/// Reads one Compose file with the shared <see cref="YamlReader"/> (anchors, aliases and <c>&lt;&lt;</c> merge keys
/// resolved there), then interpolates every scalar value into a <see cref="ComposeNode"/> tree; keys are never
/// interpolated, as in Compose.
/// </summary>
internal sealed class ComposeYamlReader
{
    /// <summary>The most nodes a Compose file may expand to through aliases; real files stay far below (10⁴).</summary>
    public const long AliasBudget = 1_000_000;

    private readonly string _displayPath;
    private readonly Interpolator _interpolator;

    // An anchored node is reached once per alias; interpolating it once keeps each unset variable reported once.
    private readonly Dictionary<YNode, ComposeNode> _done = new(ReferenceEqualityComparer.Instance);

    private ComposeYamlReader(string displayPath, Interpolator interpolator)
    {
        _displayPath = displayPath;
        _interpolator = interpolator;
    }

    /// <summary>Reads <paramref name="text"/>; syntax errors and duplicate keys go to <paramref name="diagnostics"/>.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="displayPath">The path used in locations.</param>
    /// <param name="interpolator">Resolves <c>${VAR}</c>.</param>
    /// <param name="diagnostics">Receives errors.</param>
    /// <returns>The root node, or <see langword="null"/> when the file is empty or does not parse.</returns>
    public static ComposeNode? Read(string text, string displayPath, Interpolator interpolator, DiagnosticBag diagnostics)
    {
        var stream = YamlReader.Read(text, mergeKeys: true);
        foreach (var problem in stream.Problems)
        {
            var message = problem.Kind switch
            {
                YamlProblemKind.DuplicateKey => $"duplicate key '{problem.Key}'",
                YamlProblemKind.ComplexKey => problem.Message,
                _ => "invalid YAML: " + problem.Message,
            };
            diagnostics.Error(ImportCodes.Syntax, new SourceLocation(displayPath, problem.Line, problem.Column), message);
        }

        if (stream.Failed || stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1];
            diagnostics.Error(ImportCodes.Syntax, new SourceLocation(displayPath, second.Line, second.Column), "a Compose file holds one YAML document; found a second one");
            return null;
        }

        var root = stream.Documents[0].Root;
        if (AliasBomb(root) is { } bomb)
        {
            diagnostics.Error(ImportCodes.Syntax, new SourceLocation(displayPath, bomb.Line, bomb.Column), $"YAML aliases expand this file to more than {AliasBudget:N0} nodes (an alias bomb); a Compose file needs far fewer");
            return null;
        }

        return new ComposeYamlReader(displayPath, interpolator).Interpolate(root);
    }

    /// <summary>
    /// Finds the node where alias expansion passes <see cref="AliasBudget"/>: aliases share nodes, and the merge of
    /// override files and the report walk a tree as if each alias were a copy, so 500 bytes of nested aliases could
    /// otherwise become 10⁹ nodes.
    /// </summary>
    /// <returns>The smallest node over budget, or <see langword="null"/>.</returns>
    private static YNode? AliasBomb(YNode root)
    {
        var sizes = new Dictionary<YNode, long>(ReferenceEqualityComparer.Instance);
        if (Size(root) <= AliasBudget)
        {
            return null;
        }

        // Walk down to the smallest node still over budget: the anchor that is aliased too often.
        var node = root;
        while (Children(node).FirstOrDefault(c => sizes[c] > AliasBudget) is { } over)
        {
            node = over;
        }

        return node;

        long Size(YNode node)
        {
            if (sizes.TryGetValue(node, out var known))
            {
                return known;
            }

            var size = 1L;
            foreach (var child in Children(node))
            {
                size = Math.Min(size + Size(child), AliasBudget + 1);
            }

            sizes[node] = size;
            return size;
        }

        static IEnumerable<YNode> Children(YNode node) => node switch
        {
            YMap map => map.Entries.Select(e => e.Value),
            YSeq sequence => sequence.Items,
            _ => [],
        };
    }

    private ComposeNode Interpolate(YNode node)
    {
        if (_done.TryGetValue(node, out var done))
        {
            return done;
        }

        ComposeNode result = node switch
        {
            YScalar { IsNull: true } => ComposeScalar.Of(At(node), null),
            YScalar scalar => Interpolate(scalar),
            YSeq sequence => new ComposeSequence(At(node), [.. sequence.Items.Select(Interpolate)]),
            YMap map => new ComposeMap(At(node), [.. map.Entries.Select(e => KeyValuePair.Create(e.Key.Value, Interpolate(e.Value)))])
            {
                KeyLocations = map.Entries.ToDictionary(e => e.Key.Value, e => At(e.Key), StringComparer.Ordinal),
            },
            _ => throw new ArgumentException($"unexpected node {node.GetType().Name}", nameof(node)),
        };
        _done[node] = result;
        return result;
    }

    private ComposeScalar Interpolate(YScalar scalar)
    {
        var result = _interpolator.Expand(scalar.Value, At(scalar));
        return new ComposeScalar(At(scalar), result.Value, result.Variables) { Raw = scalar.Value, Missing = result.Missing };
    }

    private SourceLocation At(YNode node) => new(_displayPath, node.Line, node.Column);
}
