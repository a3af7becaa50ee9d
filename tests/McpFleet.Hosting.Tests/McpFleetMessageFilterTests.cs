namespace McpFleet.Hosting.Tests;

/// <summary>Requests other than tools/call: an unknown method is one bounded Warning (D21), and its metrics stay bounded.</summary>
public sealed class McpFleetMessageFilterTests
{
    [Fact]
    public async Task UnknownMethod_OneMegabyteName_OneBoundedWarningNoStackTrace()
    {
        await using var server = await InProcessServer.StartAsync();
        var method = new string('M', 1_000_000);

        using var response = await server.PostMcpAsync($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}"}""");

        Assert.Contains("\"code\":-32601", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        LogAssert.OneBoundedWarning(server.Logs, "MCP request MMMM", "(1000000 characters) refused with JSON-RPC error -32601");
    }

    [Fact]
    public async Task KnownMethodNotServed_OneWarningNoStackTrace()
    {
        // The test server has tools but no prompts: prompts/get is a method it does not serve.
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"x"}}""");

        Assert.Contains("\"code\":-32601", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        LogAssert.OneBoundedWarning(server.Logs, "MCP request prompts/get refused with JSON-RPC error -32601");
    }
}
