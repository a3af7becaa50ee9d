using McpFleet.Import;
using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D19: the MCP port is the one the service serves MCP on, and a remap reaches the command line.</summary>
public sealed class PortChoiceTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_McpPortEnvVar_ChoosesThatPortNotTheFirst()
    {
        var result = _project.Import("""
            services:
              gateway:
                image: docker/mcp-gateway:v2.0.0
                ports:
                  - "3000:3000"  # UI port
                  - "8811:8811"  # MCP Gateway port
                environment:
                  - MCP_GATEWAY_PORT=8811
            """);

        Assert.Equal(9000, result.Spec!.Servers[0].Port);
        var rows = InlineCompose.Rows(result, "gateway");
        Assert.Contains(rows, r => r.Field == "ports[1]" && r.Detail.StartsWith("container port 8811 (the MCP port: MCP_GATEWAY_PORT names it)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Field == "ports[0]" && r.Detail.StartsWith("extra container port 3000", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_PortComment_ChoosesTheMcpPort()
    {
        var result = _project.Import("""
            services:
              gateway:
                image: r/mcp-gateway:v2.0.0
                ports:
                  - "9005:9005"  # admin UI
                  - "9006:9006"  # MCP (Streamable HTTP)
            """);

        Assert.Equal(9006, result.Spec!.Servers[0].Port);
    }

    [Fact]
    public void Import_RemappedPort_RewritesItInTheCommandLine()
    {
        var result = _project.Import("""
            services:
              fetch:
                image: r/mcp-fetch:v1.0.0
                command: ["mcp-proxy", "--sse-port=8383", "uvx", "mcp-server-fetch"]
                entrypoint: ["sh", "-c", "exec \"$@\" --host 0.0.0.0:8383", "--"]
                ports: ["8383:8383"]
            """);

        var server = result.Spec!.Servers[0];
        Assert.Equal(9000, server.Port);
        Assert.Equal(["mcp-proxy", "--sse-port=9000", "uvx", "mcp-server-fetch"], server.Args);
        Assert.Equal("exec \"$@\" --host 0.0.0.0:9000", server.Command![2]);
        Assert.Contains(InlineCompose.Rows(result, "fetch"), r => r.Field == "command[1]" && r.Detail == "named the old container port 8383: now the MCP port 9000");
    }

    [Fact]
    public void Import_RemappedPortElsewhereInTheCommand_WarnsAndLeavesIt()
    {
        var result = _project.Import("""
            services:
              fetch:
                image: r/mcp-fetch:v1.0.0
                command: ["serve", "--workers", "8383"]
                ports: ["8383:8383"]
            """);

        Assert.Equal(["serve", "--workers", "8383"], result.Spec!.Servers[0].Args);
        Assert.Contains(InlineCompose.Rows(result, "fetch"), r => r.Field == "command[2]" && r.NeedsAttention);
    }

    [Fact]
    public void Import_PortOutOfRange_SaysWhy()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["70000:70000"]
            """);

        Assert.Contains(InlineCompose.Rows(result, "app"), r => r.Field == "ports[0]" && r.Detail == "container port 70000 is out of range: a TCP port is 1-65535");
    }

    [Theory]
    [InlineData("--port", "8383", "9000", false)]
    [InlineData("-p", "8383", "9000", false)]
    [InlineData("", "--listen=0.0.0.0:8383", "--listen=0.0.0.0:9000", false)]
    [InlineData("", "http://localhost:8383/mcp", "http://localhost:9000/mcp", false)]
    [InlineData("", "PORT=8383 node server.js --port 8383", "PORT=9000 node server.js --port 9000", false)]
    [InlineData("--workers", "8383", "8383", true)]
    [InlineData("", "--retries=18383", "--retries=18383", false)]
    public void Rewrite_OldPort_RewrittenWhereItIsAPort(string previous, string word, string expected, bool doubtful)
    {
        var (rewritten, _, unsure) = PortWords.Rewrite(previous, word, 8383, 9000);

        Assert.Equal((expected, doubtful), (rewritten, unsure));
    }
}
