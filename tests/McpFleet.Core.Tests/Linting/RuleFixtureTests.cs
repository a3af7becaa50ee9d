using McpFleet.Linting;

namespace McpFleet.Core.Tests.Linting;

public sealed class RuleFixtureTests
{
    public static TheoryData<string> RuleIds => [.. Linter.Rules.Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_BadFixture_IsReported(string id)
    {
        var path = Path.Combine("rules", id, "bad.yaml");
        Assert.True(File.Exists(Path.Combine(LintFixtures.Root, path)), $"{id} has no rejecting fixture {path}");

        var result = LintFixtures.Lint(path);

        Assert.Contains(result.Findings, f => f.RuleId == id);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_GoodFixture_IsAccepted(string id)
    {
        // A rule's own accepting fixture when it has one (the boundary cases), else the compliant server bundle.
        var own = Path.Combine("rules", id, "good.yaml");
        var path = File.Exists(Path.Combine(LintFixtures.Root, own)) ? own : Path.Combine("rules", "compliant.yaml");

        var result = LintFixtures.Lint(path);

        Assert.DoesNotContain(result.Findings, f => f.RuleId == id);
    }

    [Fact]
    public void CompliantBundle_Lint_HasNoFindingsAtAll()
    {
        var result = LintFixtures.Lint(Path.Combine("rules", "compliant.yaml"));

        Assert.Equal("", LintFixtures.Format(result));
        Assert.Equal(8, result.ObjectCount);
    }

    [Fact]
    public void Rules_Metadata_IsCompleteAndUnique()
    {
        Assert.Equal(Linter.Rules.Count, Linter.Rules.Select(r => r.Id).Distinct().Count());
        Assert.Equal(Linter.Rules.Select(r => r.Id).Order(StringComparer.Ordinal), Linter.Rules.Select(r => r.Id));
        Assert.All(Linter.Rules, r =>
        {
            Assert.Matches("^MCP0[0-9]{2}$", r.Id);
            Assert.Matches("^[a-z0-9-]+$", r.Name);
            Assert.False(string.IsNullOrWhiteSpace(r.Summary) || string.IsNullOrWhiteSpace(r.Rationale) || string.IsNullOrWhiteSpace(r.Fix) || string.IsNullOrWhiteSpace(r.Anchors), r.Id);
        });
    }
}
