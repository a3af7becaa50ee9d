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

        return new ComposeYamlReader(displayPath, interpolator).Interpolate(stream.Documents[0].Root);
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
