using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

public sealed class ComposeImporterNameTests
{
    [Theory]
    [InlineData("github", "github")]
    [InlineData("mcp-github", "github")]
    [InlineData("github-mcp", "github")]
    [InlineData("mcp_Git_Hub", "git-hub")]
    [InlineData("ai.memory", "ai-memory")]
    [InlineData("mcp", "mcp")]
    [InlineData("__", "server")]
    public void SanitizeName_ServiceName_Dns1123WithoutMcpAffix(string service, string expected) =>
        Assert.Equal(expected, ComposeImporter.SanitizeName(service));

    [Fact]
    public void SanitizeName_LongName_FitsTheSpecLimit() =>
        Assert.Equal(49, ComposeImporter.SanitizeName(new string('a', 80)).Length);
}
