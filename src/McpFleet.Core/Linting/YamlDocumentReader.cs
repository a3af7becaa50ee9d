using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>
/// Reads multi-document YAML for the linter with the shared positional reader (<see cref="YamlReader"/>): syntax
/// errors, duplicate keys and dangling aliases become located problems, and the documents before a syntax error are kept.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>Reads every non-empty document of <paramref name="text"/>.</summary>
    /// <param name="file">The file name used in problem locations.</param>
    /// <param name="text">The YAML text.</param>
    /// <param name="problems">Receives the problems.</param>
    /// <returns>The documents.</returns>
    public static IReadOnlyList<YDocument> Read(string file, string text, List<(SourceLocation Location, string Message)> problems)
    {
        var result = YamlReader.Read(text, mergeKeys: true);
        foreach (var p in result.Problems)
        {
            var message = p.Kind switch
            {
                YamlProblemKind.Syntax => "YAML syntax error: " + p.Message,
                YamlProblemKind.DuplicateKey => p.Message + "; Kubernetes keeps only one of them",
                _ => p.Message,
            };
            problems.Add((new SourceLocation(file, p.Line, p.Column), message));
        }

        return [.. result.Documents.Where(d => d.Root is not YScalar { IsNull: true })];
    }
}
