using System.Diagnostics;
using System.Text;

namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D10 (1): nested YAML aliases do not make the importer expand 10⁹ nodes.</summary>
public sealed class AliasBudgetTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_AliasBombInBaseAndOverride_Mci001ForEachFileNotOutOfMemory()
    {
        // Arrange: the finding's shape, 9 levels of fan-out 10 (10⁹ leaves) in ~500 bytes, referenced by ports.
        _project.With("override.yml", Bomb(levels: 9, fanOut: 10));
        var watch = Stopwatch.StartNew();

        // Act
        var result = _project.Import(Bomb(levels: 9, fanOut: 10), o => o with { Files = ["docker-compose.yml", "override.yml"] });

        // Assert: generous bound; expanding the bomb took minutes or ran out of memory.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), watch.Elapsed.ToString());
        Assert.Equal(["docker-compose.yml", "override.yml"], result.Errors.Select(e => e.Location.File));
        Assert.All(result.Errors, e => Assert.Equal("MCI001", e.Code));
        Assert.All(result.Errors, e => Assert.Contains("alias bomb", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Import_SharedAliasesUnderTheBudget_MergeAndDeduplicatePorts()
    {
        // 10⁵ leaves in each file: under the budget, merged item by item through memoised identities.
        _project.With("override.yml", Bomb(levels: 5, fanOut: 10));

        var result = _project.Import(Bomb(levels: 5, fanOut: 10), o => o with { Files = ["docker-compose.yml", "override.yml"] });

        // The override's ten items equal the base's (one shared node each), so none is added.
        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(10, InlineCompose.Rows(result, "s").Count(r => r.Field.StartsWith("ports[", StringComparison.Ordinal)));
    }

    private static string Bomb(int levels, int fanOut)
    {
        var yaml = new StringBuilder();
        yaml.Append("x-l0: &l0 \"9000:9000\"\n");
        for (var level = 1; level <= levels; level++)
        {
            yaml.Append($"x-l{level}: &l{level} [").AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", fanOut)).Append("]\n");
        }

        yaml.Append($"services:\n  s:\n    image: r/mcp-s:v1.0.0\n    ports: *l{levels}\n");
        return yaml.ToString();
    }
}
