using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Linting;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import;

public sealed class ComposeImportRenderTests : IDisposable
{
    /// <summary>
    /// Info findings that every render has, whatever its source: they come from the rendering contract, not from the
    /// import (IfNotPresent with pinned versions; caller pods deployed outside the fleet).
    /// </summary>
    private static readonly HashSet<string> s_contractInfos = ["MCP012", "MCP091"];

    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-import-render-").FullName;

    public static TheoryData<string> Cases => ComposeCorpus.Names(bad: false);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_CorpusCase_ValidatesRendersAndLintsWithOnlyFindingsTheReportExplains(string name)
    {
        // Arrange: import, write, load back as any fleet would be.
        var result = ComposeCorpus.Load(name).Import();
        Assert.True(result.Success, string.Join("\n", result.Errors));
        var dir = Path.Combine(_temp, name);
        Assert.Null(FleetDirectoryWriter.Write(result.Spec!, dir, ComposeImporter.FleetHeader(result.Report!)));
        var loaded = FleetLoader.Load(dir);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));

        // Act
        var rendered = FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!));
        var files = ManifestTree.Build(rendered);
        var lint = new Linter().Lint(
            files.Where(f => !f.RelativePath.EndsWith(ManifestTree.KustomizationFile, StringComparison.Ordinal)).Select(f => new LintSource(f.RelativePath, f.Content)),
            TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(loaded.Spec!.Servers.Count, rendered.Servers.Count());
        Assert.True(lint.ObjectCount > 0);
        var unexplained = lint.Findings.Where(f => !Explained(f, result.Report!)).ToList();
        Assert.True(unexplained.Count == 0, string.Join("\n", unexplained));
    }

    private static bool Explained(LintFinding finding, ImportReport report)
    {
        if (s_contractInfos.Contains(finding.RuleId))
        {
            return finding.Severity == DiagnosticSeverity.Info;
        }

        // The finding names the object mcp-<server>; the report must have a row for that server that explains it.
        var server = report.Services.FirstOrDefault(s => s.Server is not null && finding.Resource?.EndsWith($"/mcp-{s.Server}", StringComparison.Ordinal) == true);
        return finding.RuleId switch
        {
            "MCP011" => server?.Entries.Any(e => e.Field == "image.tag" && e.NeedsAttention) == true,
            "MCP022" => server?.Entries.Any(e => e.Field == "replicas" && e.Detail.Contains("MCP022", StringComparison.Ordinal)) == true,
            "MCP043" => server?.Entries.Any(e => e.Field == "command" && e.NeedsAttention && e.Detail.Contains("MCP043", StringComparison.Ordinal)) == true,
            _ => false,
        };
    }
}
