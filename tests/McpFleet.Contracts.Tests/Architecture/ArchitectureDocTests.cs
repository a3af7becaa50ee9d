using System.Text.RegularExpressions;
using System.Xml.Linq;
using McpFleet.Tests;

namespace McpFleet.Contracts.Tests.Architecture;

/// <summary>
/// docs/architecture.md's project table against the <c>.csproj</c> files: every project under <c>src/</c> has a row,
/// and the row names exactly its direct project references, so the map a newcomer reads is the one the build uses.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    private static Dictionary<string, string[]> DocumentedReferences()
    {
        var doc = File.ReadAllLines(Path.Combine(Golden.RepoRoot(), "docs", "architecture.md"));
        return doc
            .Select(line => ProjectRow().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => m.Groups["project"].Value,
                m => ProjectName().Matches(m.Groups["references"].Value).Select(r => r.Groups[1].Value).Order(StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal);
    }

    private static Dictionary<string, string[]> ActualReferences() =>
        Directory.GetDirectories(Path.Combine(Golden.RepoRoot(), "src"))
            .Select(dir => Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
            .Where(File.Exists)
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path => XDocument.Load(path).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
                    .Order(StringComparer.Ordinal)
                    .ToArray(),
                StringComparer.Ordinal);

    [Fact]
    public void ProjectTable_EverySrcProject_ListedWithItsDirectReferences()
    {
        var documented = DocumentedReferences();
        var actual = ActualReferences();

        Assert.Equal(actual.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.All(actual, project => Assert.Equal(project.Value, documented[project.Key]));
    }

    // | `McpFleet.Core` | `McpFleet.Contracts` | What it is |
    [GeneratedRegex(@"^\| `(?<project>McpFleet\.[A-Za-z]+)` \| (?<references>[^|]*) \|")]
    private static partial Regex ProjectRow();

    [GeneratedRegex(@"`(McpFleet\.[A-Za-z]+)`")]
    private static partial Regex ProjectName();
}
