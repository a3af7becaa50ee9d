using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Spec;

/// <summary>
/// The bad-spec corpus: each <c>testdata/spec-errors/&lt;case&gt;/</c> is a small fleet directory with an
/// <c>expected.txt</c> holding every diagnostic, one per line, as <c>validate</c> prints it relative to the case.
/// Run with <c>MCPFLEET_UPDATE_GOLDEN=1</c> to rewrite the expectations, then review the diff.
/// </summary>
public sealed class SpecErrorCorpusTests
{
    private static readonly string s_corpus = Corpus;

    /// <summary>Gets the corpus directory in the source tree (so golden updates land there).</summary>
    internal static string Corpus => Path.Combine(Golden.SourceDirectory(), "..", "testdata", "spec-errors");

    public static TheoryData<string> Cases => [.. Directory.GetDirectories(s_corpus).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_BrokenSpec_ReportsExactlyTheExpectedDiagnostics(string name)
    {
        // Arrange
        var directory = Path.Combine(s_corpus, name);

        // Act
        var result = FleetLoader.Load(directory);

        // Assert
        Assert.NotEmpty(result.Diagnostics);
        Assert.Equal(result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), !result.Success);
        Golden.Match(Path.Combine(directory, "expected.txt"), Format(directory, result.Diagnostics));
    }

    [Fact]
    public void Corpus_HasAtLeastThirtyErrorCases()
    {
        var expected = Cases.Select(c => Path.Combine(s_corpus, (string)c.Data, "expected.txt")).Where(File.Exists);
        var withErrors = expected.Count(f => File.ReadAllText(f).Contains(": error MCF", StringComparison.Ordinal));
        Assert.True(withErrors >= 30, $"only {withErrors} corpus cases report an error");
    }

    /// <summary>Formats diagnostics as validate does, with paths relative to the fleet directory.</summary>
    internal static string Format(string directory, IEnumerable<Diagnostic> diagnostics) => string.Concat(diagnostics.Select(d =>
        (d with { Location = d.Location with { File = Path.GetRelativePath(directory, d.Location.File).Replace('\\', '/') } }) + "\n"));
}
