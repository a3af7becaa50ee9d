using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import;

/// <summary><c>import compose</c> of stdio MCP servers: which services become <c>transport: stdio</c>, and with what command.</summary>
public sealed class StdioImportTests
{
    private static ServerSpec Server(string compose, string name)
    {
        using var project = new InlineCompose();
        var result = project.Import(compose);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Spec!.Servers.Single(s => s.Name == name);
    }

    [Theory]
    [InlineData("command: npx -y @modelcontextprotocol/server-everything")]
    [InlineData("command: [uvx, mcp-server-fetch]")]
    [InlineData("command: [python, -m, mcp_server_time]")]
    [InlineData("entrypoint: [mcp-server-github]")]
    public void Import_StdioServerCommandWithoutPorts_BecomesStdioWithItsCommand(string command)
    {
        var server = Server($"services:\n  tool:\n    image: node:22-bookworm-slim\n    {command}\n", "tool");

        Assert.Equal(ServerTransport.Stdio, server.Transport);
        Assert.NotEmpty(server.Command!);
        Assert.Null(server.Args);
    }

    [Fact]
    public void Import_StdioCommandWithPublishedPort_StaysHttp()
    {
        var server = Server("services:\n  tool:\n    image: node:22-bookworm-slim\n    command: npx -y @modelcontextprotocol/server-everything streamableHttp\n    ports: [\"9001:9001\"]\n", "tool");

        Assert.Equal(ServerTransport.Http, server.Transport);
    }

    [Fact]
    public void Import_StdinOpenWithoutPortsOrCommand_StaysHttpAndAsksForTheCommand()
    {
        using var project = new InlineCompose();
        var result = project.Import("services:\n  mcp-tool:\n    image: registry.example.com/mcp-tool:1.0.0\n    stdin_open: true\n");

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(ServerTransport.Http, result.Spec!.Servers.Single().Transport);
        var row = InlineCompose.Rows(result, "mcp-tool").Single(e => e.Field == "stdin_open");
        Assert.True(row.NeedsAttention);
        Assert.Contains("write `transport: stdio` and `command:`", row.Detail, StringComparison.Ordinal);
    }
}
