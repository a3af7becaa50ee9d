using McpFleet.Spec;

namespace McpFleet.Core.Tests.Spec;

public sealed class StdioCommandsTests
{
    [Theory]
    [InlineData("npx -y @modelcontextprotocol/server-everything", "npx -y")]
    [InlineData("npx --quiet --yes pkg", "npx --yes")]
    [InlineData("/usr/local/bin/uvx mcp-server-fetch", "uvx")]
    [InlineData("pipx run mcp-server-time", "pipx run")]
    [InlineData("bunx some-server", "bunx")]
    [InlineData("npm exec -- pkg", "npm exec")]
    [InlineData("sh -c 'npx -y pkg'", "npx -y")]
    [InlineData("npx pkg", null)]
    [InlineData("npm install -g pkg", null)]
    [InlineData("mcp-server-github", null)]
    public void RuntimeFetch_Command_FindsTheRunner(string command, string? expected)
    {
        Assert.Equal(expected, StdioCommands.RuntimeFetch(StdioCommands.Words([command])));
    }

    [Theory]
    [InlineData("npx -y @modelcontextprotocol/server-filesystem /data", true)]
    [InlineData("mcp-server-github", true)]
    [InlineData("uvx mcp-server-fetch", true)]
    [InlineData("python -m mcp_server_time", true)]
    [InlineData("/app/github-mcp-server stdio", true)]
    [InlineData("node server.js", false)]
    [InlineData("python -m http.server", false)]
    [InlineData("/app/server --port 9000", false)]
    public void LooksLikeStdioServer_Command_Recognised(string command, bool expected)
    {
        Assert.Equal(expected, StdioCommands.LooksLikeStdioServer(StdioCommands.Words([command])));
    }

    [Theory]
    [InlineData("/mcpfleet/mcpfleet-proxy stdio -- mcp-server-github", "busybox", "stdio")]
    [InlineData("http --upstream http://127.0.0.1:8080/mcp", "scoobyjava15/mcpfleet/proxy:v0.1.0", "http")]
    [InlineData("install /mcpfleet", "registry.example.com/mcpfleet-proxy@sha256:abc", "install")]
    [InlineData("http --upstream x", "scoobyjava15/mcp-gong:v1.0.0", null)]
    [InlineData("mcp-server-github", "node:22", null)]
    public void ProxyMode_Container_ReadsTheMode(string command, string image, string? expected)
    {
        Assert.Equal(expected, StdioCommands.ProxyMode(StdioCommands.Words([command]), image));
    }

    [Theory]
    [InlineData("node:22-alpine", true)]
    [InlineData("alpine/mcp:1", true)]
    [InlineData("node:22-bookworm-slim", false)]
    public void LooksAlpine_Image(string image, bool expected) => Assert.Equal(expected, StdioCommands.LooksAlpine(image));
}
