using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Spec;

/// <summary>Bad input never throws: every value of a real spec replaced by every other YAML shape still loads to diagnostics.</summary>
public sealed class FleetLoaderRobustnessTests : IDisposable
{
    private static readonly string[] s_replacements = ["[1]", "{}", "~", "\"x\"", "-5", "true", "{a: [b, {c: d}]}", "*nope", "[", "'"];

    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-robust-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("fleet.yaml")]
    [InlineData("values/gong.yaml")]
    [InlineData("values/ai-memory.yaml")]
    public void Load_EveryValueReplacedByAnyShape_ReportsInsteadOfThrowing(string file)
    {
        // Arrange
        var example = Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai");
        CopyDirectory(example, _temp);
        var lines = File.ReadAllLines(Path.Combine(example, file));
        var target = Path.Combine(_temp, file);

        for (var i = 0; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || lines[i].TrimStart().StartsWith('#'))
            {
                continue;
            }

            foreach (var replacement in s_replacements)
            {
                var mutated = (string[])lines.Clone();
                mutated[i] = lines[i][..(colon + 2)] + replacement;
                File.WriteAllLines(target, mutated);

                // Act
                var result = FleetLoader.Load(_temp);

                // Assert: a replaced value is either still valid or reported, with a position in the file.
                Assert.True(result.Success || result.Diagnostics.Count > 0, $"line {i + 1} -> {replacement}");
                if (result.Success)
                {
                    _ = FleetResolver.Resolve(result.Spec!);
                }
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
