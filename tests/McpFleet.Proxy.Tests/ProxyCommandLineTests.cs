namespace McpFleet.Proxy.Tests;

/// <summary>The command line: modes, the server's own options left alone, and one-line errors.</summary>
public sealed class ProxyCommandLineTests
{
    [Fact]
    public void Parse_StdioWithoutSeparator_EverythingFromTheCommandOnBelongsToTheServer()
    {
        var invocation = ProxyCommandLine.Parse(["stdio", "--max-concurrency", "8", "npx", "-y", "@modelcontextprotocol/server-github", "--port", "1"], out var error);
        Assert.Null(error);
        Assert.Equal(ProxyMode.Stdio, invocation!.Mode);
        Assert.Equal("npx", invocation.Command);
        Assert.Equal(["-y", "@modelcontextprotocol/server-github", "--port", "1"], invocation.Arguments);
        Assert.Equal("8", invocation.Settings["McpFleet:Proxy:MaxConcurrency"]);
        Assert.False(invocation.Settings.ContainsKey("McpFleet:Port"));
    }

    [Fact]
    public void Parse_StdioWithSeparatorAndOptions_SettingsAndEnvironment()
    {
        var invocation = ProxyCommandLine.Parse(
            ["stdio", "--request-timeout=2m", "--ping-timeout", "500ms", "--env", "GITHUB_TOKEN=x=y", "--cwd", "/srv", "--name", "github", "--", "-weird-command"],
            out var error);
        Assert.Null(error);
        Assert.Equal("-weird-command", invocation!.Command);
        Assert.Equal("00:02:00", invocation.Settings["McpFleet:Proxy:RequestTimeout"]);
        Assert.Equal("00:00:00.5000000", invocation.Settings["McpFleet:Proxy:PingTimeout"]);
        Assert.Equal("github", invocation.Settings["McpFleet:ServerName"]);
        Assert.Equal("x=y", invocation.Environment["GITHUB_TOKEN"]);
        Assert.Equal("/srv", invocation.WorkingDirectory);
    }

    [Fact]
    public void Parse_Http_UpstreamUrl()
    {
        var invocation = ProxyCommandLine.Parse(["http", "--upstream", "http://127.0.0.1:8081/mcp", "--port", "8080"], out var error);
        Assert.Null(error);
        Assert.Equal(new Uri("http://127.0.0.1:8081/mcp"), invocation!.Upstream);
        Assert.Equal("8080", invocation.Settings["McpFleet:Port"]);
    }

    [Theory]
    [InlineData(new[] { "serve" }, "unknown mode 'serve': the first argument is 'stdio' or 'http'")]
    [InlineData(new[] { "stdio" }, "stdio needs the server's command: mcpfleet-proxy stdio [options] -- <command> [args...]")]
    [InlineData(new[] { "stdio", "--verbose", "node" }, "unknown option '--verbose' (if it belongs to the server's command, put -- before the command)")]
    [InlineData(new[] { "stdio", "--max-concurrency", "0", "node" }, "--max-concurrency: '0' is not valid (a whole number > 0)")]
    [InlineData(new[] { "stdio", "--request-timeout", "soon", "node" }, "--request-timeout: 'soon' is not valid (a time such as 500ms, 30s or 2m)")]
    [InlineData(new[] { "stdio", "--port", "70000", "node" }, "--port: '70000' is not valid (a TCP port, 1-65535)")]
    [InlineData(new[] { "stdio", "--env", "NOVALUE", "node" }, "--env: 'NOVALUE' is not NAME=VALUE")]
    [InlineData(new[] { "http" }, "http needs --upstream <url>, the server's MCP endpoint (e.g. http://127.0.0.1:8081/mcp)")]
    [InlineData(new[] { "http", "--upstream", "ftp://x/mcp" }, "--upstream: 'ftp://x/mcp' is not an http:// or https:// URL")]
    [InlineData(new[] { "http", "--upstream", "http://x/mcp", "node" }, "http takes no command ('node'); the server is at --upstream")]
    [InlineData(new[] { "http", "--upstream" }, "--upstream needs a value")]
    public void Parse_BadInput_OneLineMessage(string[] args, string expected)
    {
        Assert.Null(ProxyCommandLine.Parse(args, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task Main_BadCommandLine_Exit2WithOneLineOnStderr_NothingStarted()
    {
        var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["stdio", "--bogus", "node"]);
        Assert.Equal(ProxyCommandLine.UsageExitCode, result.ExitCode);
        Assert.Equal("mcpfleet-proxy: unknown option '--bogus' (if it belongs to the server's command, put -- before the command)", result.StandardError.Split('\n')[0]);
        Assert.Empty(result.StandardOutput);
    }
}
