using System.Text.RegularExpressions;
using System.Xml.Linq;
using McpFleet.Tests;

namespace McpFleet.Contracts.Tests.Architecture;

/// <summary>
/// docs/architecture.md against the tree: every project under <c>src/</c> has a row naming exactly its direct project
/// references, and every verb's command class is in the verb table, so the map a newcomer reads is the one the build uses.
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

    [Fact]
    public void VerbTable_EveryCommandClass_ListedAndPresent()
    {
        var doc = File.ReadAllLines(Path.Combine(Golden.RepoRoot(), "docs", "architecture.md"));
        var commands = Path.Combine(Golden.RepoRoot(), "src", "McpFleet.Cli", "Commands");

        var documented = doc.Select(line => VerbRow().Match(line)).Where(m => m.Success).Select(m => m.Groups["command"].Value).ToList();
        var actual = Directory.GetFiles(commands, "*Command.cs").Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.Equal(actual.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    // | `McpFleet.Core` | `McpFleet.Contracts` | What it is |
    [GeneratedRegex(@"^\| `(?<project>McpFleet\.[A-Za-z]+)` \| (?<references>[^|]*) \|")]
    private static partial Regex ProjectRow();

    [GeneratedRegex(@"`(McpFleet\.[A-Za-z]+)`")]
    private static partial Regex ProjectName();

    // | `deploy` | `DeployCommand` (kubeconfig: `ClusterConnection`) | `Kubernetes/FleetDeployer` |
    [GeneratedRegex(@"^\| `[a-z -]+(?: --local)?` \| `(?<command>[A-Za-z]+Command)`")]
    private static partial Regex VerbRow();
}
