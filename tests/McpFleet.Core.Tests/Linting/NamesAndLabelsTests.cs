namespace McpFleet.Core.Tests.Linting;

public sealed class NamesAndLabelsTests
{
    [Theory]
    [InlineData("mcp-gong", "app", "mcp-gong", 0)]
    [InlineData("mcp-gong", "example.com/Some_key.x", "A.b_c-9", 0)]
    [InlineData("mcp-gong", "app", "", 0)]
    [InlineData("mcp-gong", "app", "-leading", 1)]
    [InlineData("mcp-gong", "app", "trailing.", 1)]
    [InlineData("mcp-gong", "Example.com/x", "v", 1)]
    [InlineData("mcp-gong", "a/b/c", "v", 1)]
    [InlineData("mcp-{server-name}", "app", "v", 1)]
    [InlineData("mcp.gong.v2", "app", "v", 0)]
    [InlineData("mcp..gong", "app", "v", 1)]
    public void Mcp004_NamesAndLabels_FollowKubernetesValidation(string name, string key, string value, int findings)
    {
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{name}\"\n  namespace: n\n  labels:\n    \"{key}\": \"{value}\"\n";

        var result = LintFixtures.LintText(yaml);

        Assert.Equal(findings, result.Findings.Count(f => f.RuleId == "MCP004"));
    }
}
