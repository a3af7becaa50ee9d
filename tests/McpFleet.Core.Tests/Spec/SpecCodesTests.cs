using System.Reflection;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Spec;

public sealed class SpecCodesTests
{
    private static readonly List<string> s_codes = [.. typeof(SpecCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void Codes_AreUniqueAndWellFormed()
    {
        Assert.Equal(s_codes.Count, s_codes.Distinct().Count());
        Assert.All(s_codes, c => Assert.Matches("^MCF0[0-9]{2}$", c));
    }

    [Fact]
    public void Codes_AreEachDocumentedInFleetSpecMd()
    {
        var doc = File.ReadAllText(Path.Combine(Golden.RepoRoot(), "docs", "fleet-spec.md"));
        Assert.All(s_codes, c => Assert.Contains($"| {c} |", doc, StringComparison.Ordinal));
    }
}
