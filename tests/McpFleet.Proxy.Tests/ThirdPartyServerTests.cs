using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Tests;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy.Tests;

/// <summary>
/// Real npm MCP servers (installed by eng/tools.sh) behind the proxy: the tools list a client reads through the proxy is
/// the list read from the same server directly over stdio, and a tool call works.
/// </summary>
public sealed class ThirdPartyServerTests
{
    [Fact]
    public async Task ServerEverything_ToolsThroughProxy_EqualToolsOverStdio_EchoWorks()
    {
        string[] command = [.. Children.NpmServer("server-everything"), "stdio"];
        var (direct, proxied, proxy) = await ListBothWaysAsync(command);
        await using (proxy)
        {
            AssertSameTools(direct, proxied);
            await using var client = await proxy.ConnectAsync();
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through the proxy" }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains("through the proxy", Assert.IsType<TextContentBlock>(result.Content[0]).Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ServerFilesystem_ToolsThroughProxy_EqualToolsOverStdio_ListsTheDirectory()
    {
        var root = Directory.CreateTempSubdirectory("mcpfleet-proxy-fs-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "fleet.txt"), "phase 1", TestContext.Current.CancellationToken);
            string[] command = [.. Children.NpmServer("server-filesystem"), root.FullName];
            var (direct, proxied, proxy) = await ListBothWaysAsync(command);
            await using (proxy)
            {
                AssertSameTools(direct, proxied);
                await using var client = await proxy.ConnectAsync("2025-06-18");
                var result = await client.CallToolAsync("read_text_file", new Dictionary<string, object?> { ["path"] = Path.Combine(root.FullName, "fleet.txt") }, cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal("phase 1", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ServerPostgres_ToolsThroughProxy_EqualToolsOverStdio_QueriesRealPostgres()
    {
        var url = Environment.GetEnvironmentVariable("MCPFLEET_POSTGRES_URL");
        Assert.True(!string.IsNullOrEmpty(url), "MCPFLEET_POSTGRES_URL is not set: run 'bash eng/test.sh' (it starts PostgreSQL with eng/postgres.sh), or export MCPFLEET_POSTGRES_URL=$(bash eng/postgres.sh)");
        string[] command = [.. Children.NpmServer("server-postgres"), url];
        var (direct, proxied, proxy) = await ListBothWaysAsync(command);
        await using (proxy)
        {
            AssertSameTools(direct, proxied);

            // server-postgres pins SDK 1.0.1, which knows only 2024-11-05: a 2026-07-28 client reaches it through the proxy.
            await using var client = await proxy.ConnectAsync();
            Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
            var result = await client.CallToolAsync("query", new Dictionary<string, object?> { ["sql"] = "select name from fleet_servers order by name" }, cancellationToken: TestContext.Current.CancellationToken);
            var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
            Assert.Contains("\"github\"", text, StringComparison.Ordinal);
            Assert.Contains("\"notes\"", text, StringComparison.Ordinal);
        }
    }

    /// <summary>Lists the server's tools over stdio with the SDK's own client, then through a proxy started on the same command.</summary>
    private static async Task<(IList<McpClientTool> Direct, IList<McpClientTool> Proxied, ProxyProcess Proxy)> ListBothWaysAsync(string[] command)
    {
        IList<McpClientTool> direct;
        // The direct client offers what the proxy offers a child (sampling, elicitation): server-everything lists tools by them.
        var stdio = new StdioClientTransport(new StdioClientTransportOptions { Command = command[0], Arguments = command[1..], Name = "direct" });
        var options = new McpClientOptions();
        options.Handlers.SamplingHandler = static (_, _, _) => throw new NotSupportedException();
        options.Handlers.ElicitationHandler = static (_, _) => throw new NotSupportedException();
        await using (var client = await McpClient.CreateAsync(stdio, options, cancellationToken: TestContext.Current.CancellationToken))
        {
            direct = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        var proxy = await ProxyProcess.StartAsync(["stdio", "--", .. command]);
        await using var viaProxy = await proxy.ConnectAsync("2025-06-18");
        var proxied = await viaProxy.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        return (direct, proxied, proxy);
    }

    private static void AssertSameTools(IList<McpClientTool> direct, IList<McpClientTool> proxied)
    {
        Assert.NotEmpty(direct);
        var expected = JsonSerializer.SerializeToNode(direct.Select(t => t.ProtocolTool).ToList(), McpJsonUtilities.DefaultOptions.GetTypeInfo<List<Tool>>());
        var actual = JsonSerializer.SerializeToNode(proxied.Select(t => t.ProtocolTool).ToList(), McpJsonUtilities.DefaultOptions.GetTypeInfo<List<Tool>>());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"direct:\n{expected}\nthrough the proxy:\n{actual}");
    }
}
