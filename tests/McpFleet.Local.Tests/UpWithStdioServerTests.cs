using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;
using ModelContextProtocol.Client;

namespace McpFleet.Local.Tests;

/// <summary>
/// <c>up --local</c> with a real stdio npm server (<c>@modelcontextprotocol/server-everything</c>, installed by
/// eng/tools.sh): the runner starts it under the built <c>mcpfleet-proxy</c>, waits for the proxy's <c>/ready</c>,
/// serves tools/list on the published port, and leaves no process behind.
/// </summary>
public sealed class UpWithStdioServerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-up-stdio-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Proxy
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(Golden.RepoRoot(), "src", "McpFleet.Proxy", "bin", configuration, "net10.0", ResolvedProxy.BinaryName);
            Assert.True(File.Exists(path), $"{path} is missing: build tests/McpFleet.Local.Tests (it references the proxy).");
            return path;
        }
    }

    private LocalFleetPlan WriteAndPlan(out IReadOnlyList<string> skipped)
    {
        var everything = Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "server-everything", "dist", "index.js");
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.yaml"), """
            name: stdio-demo
            namespace: stdio-demo
            env:
              McpFleet__DrainDelay: "00:00:00"
            callers:
              app: backend
            phases:
              - name: core
                servers: [everything]
            """);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "values"));
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "everything.yaml"), $"""
            name: everything
            port: 9001
            version: "1.0.0"
            transport: stdio
            command: [mcp-server-everything, stdio]
            proxy:
              stopTimeout: 2s
            run:
              command: {ExternalTools.Node}
              args: ["{everything}", stdio]
            """);
        var loaded = FleetLoader.Load(_dir.FullName);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        return LocalFleetPlans.Create(FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!)), _dir.FullName, out skipped, Proxy);
    }

    [Fact]
    public async Task Up_StdioNpmServer_RunsUnderTheProxyReadyListsToolsAndStopsClean()
    {
        var plan = WriteAndPlan(out var skipped);
        Assert.Empty(skipped);
        var server = Assert.Single(plan.Servers);
        Assert.Equal(Proxy, server.Run.Command);
        Assert.Equal(["stdio", "--stop-timeout", "2s", "--", ExternalTools.Node], server.Run.Args.Take(5));
        var options = new LocalRunOptions { AnyPort = true, StateFile = Path.Combine(_dir.FullName, "state.json"), GracePeriod = TimeSpan.FromSeconds(20) };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        int port;
        try
        {
            var state = await LocalTestSupport.WaitForStateAsync(options.StateFile, s => s.Servers[0].Ready, run, progress);
            port = state.Servers[0].Port;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ready"), TestContext.Current.CancellationToken);
            Assert.True(ready.IsSuccessStatusCode, $"/ready {(int)ready.StatusCode}");
            var transport = new HttpClientTransport(
                new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
                http, ownsHttpClient: false);
            await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains(tools, t => t.Name == "echo");

            // The proxy and node both run in the working directory (the fleet directory).
            Assert.True(LocalTestSupport.ProcessesIn(_dir.FullName).Count >= 2, "the proxy and its node child");
        }
        finally
        {
            await cts.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        await ProcessTable.AssertNoneInDirectoryAsync(_dir.FullName, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(progress.Events, e => e.Contains("killing it", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_StdioServerWithoutProxy_IsSkippedWithTheReason()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.yaml"), "namespace: demo\ncallers: {app: backend}\nphases:\n  - name: core\n    servers: [tool]\n");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "values"));
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "tool.yaml"), "name: tool\nport: 9001\nversion: \"1.0.0\"\ntransport: stdio\ncommand: [mcp-server-tool]\n");
        var loaded = FleetLoader.Load(_dir.FullName);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var rendered = FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!));

        var without = LocalFleetPlans.Create(rendered, _dir.FullName, out var skipped, proxyPath: null);
        var with = LocalFleetPlans.Create(rendered, _dir.FullName, out _, "/opt/mcpfleet-proxy");

        Assert.Empty(without.Servers);
        Assert.StartsWith("tool: a stdio server runs under mcpfleet-proxy, which was not found (MCPFLEET_PROXY", Assert.Single(skipped), StringComparison.Ordinal);
        var server = Assert.Single(with.Servers);
        Assert.Equal(new[] { "/opt/mcpfleet-proxy", "stdio", "--", "mcp-server-tool" }, server.Run.Args.Prepend(server.Run.Command));
    }

    [Fact]
    public void Find_ProxyVariable_WinsOverBesideAndPath()
    {
        var beside = Path.Combine(_dir.FullName, ResolvedProxy.BinaryName);
        File.WriteAllText(beside, "");
        var named = Path.Combine(_dir.FullName, "named-proxy");
        File.WriteAllText(named, "");

        var proxy = CompanionProgram.Proxy;
        Assert.Equal(named, proxy.Find(v => v == proxy.EnvironmentVariable ? named : null, _dir.FullName, out _));
        Assert.Null(proxy.Find(v => v == proxy.EnvironmentVariable ? "/nonexistent/proxy" : null, _dir.FullName, out _));
        Assert.Equal(beside, proxy.Find(_ => null, _dir.FullName, out _));
        Assert.Equal(beside, proxy.Find(v => v == "PATH" ? _dir.FullName : null, "/nonexistent", out _));
    }
}
