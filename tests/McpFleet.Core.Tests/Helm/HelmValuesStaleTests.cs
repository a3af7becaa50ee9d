using McpFleet.Helm;

namespace McpFleet.Core.Tests.Helm;

/// <summary>The committed deploy/helm/mcp-servers/values/ are exactly what `mcpfleet helm values` makes of the example.</summary>
public sealed class HelmValuesStaleTests
{
    [Fact]
    public void CommittedValues_ExampleFleet_AreUpToDate()
    {
        var expected = HelmValues.Generate(HelmFleets.Load(HelmFleets.Example));
        const string fix = "Run: dotnet run --project src/McpFleet.Cli -- helm values examples/sophia-ai --out deploy/helm/mcp-servers/values";

        var committed = Directory.GetFiles(HelmChart.ValuesDirectory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.True(
            expected.Select(f => f.FileName).Order(StringComparer.Ordinal).SequenceEqual(committed),
            $"deploy/helm/mcp-servers/values/ has [{string.Join(", ", committed)}], the fleet has [{string.Join(", ", expected.Select(f => f.FileName))}]. {fix}");
        foreach (var file in expected)
        {
            var actual = File.ReadAllText(Path.Combine(HelmChart.ValuesDirectory, file.FileName)).ReplaceLineEndings("\n");
            Assert.True(actual == file.Yaml, $"deploy/helm/mcp-servers/values/{file.FileName} is stale. {fix}");
        }
    }
}
