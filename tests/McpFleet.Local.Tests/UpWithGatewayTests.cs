using McpFleet.Local.State;
using McpFleet.Rendering;
using McpFleet.Spec;
using ModelContextProtocol.Client;

namespace McpFleet.Local.Tests;

/// <summary><c>up --local</c> of a fleet with a gateway: the servers, then <c>mcpfleet-gateway</c> in front of them.</summary>
public sealed class UpWithGatewayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-up-gateway-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Built(string folder, string project, string file) => LocalTestSupport.Built(folder, project, file);

    private void WriteFleet()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.yaml"), """
            name: local-gateway
            namespace: local-gateway
            env:
              McpFleet__DrainDelay: "00:00:00"
              McpFleet__ShutdownTimeout: "00:00:05"
            callers:
              app: backend
            phases:
              - name: core
                servers: [conformance]
              - name: tools
                servers: [notes]
            gateway: {}
            """);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "values"));
        foreach (var (name, port) in new[] { ("conformance", 9001), ("notes", 9002) })
        {
            var project = name == "conformance" ? "Conformance" : "Notes";
            File.WriteAllText(Path.Combine(_dir.FullName, "values", name + ".yaml"), $"""
                name: {name}
                port: {port}
                version: "1.0.0"
                {(name == "notes" ? "dependsOn: [conformance]" : "")}
                run:
                  command: dotnet
                  args: ["{Built("servers", project, $"McpFleet.Servers.{project}.dll")}"]
                """);
        }
    }

    private static async Task<IList<McpClientTool>> ListToolsAsync(HttpClient http, string url)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(url), TransportMode = HttpTransportMode.StreamableHttp }, http, ownsHttpClient: false);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
        return await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Up_FleetWithGateway_StartsItLastListsEveryServersPrefixedToolsAndStopsItFirst()
    {
        WriteFleet();
        var loaded = FleetLoader.Load(_dir.FullName);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var plan = LocalFleetPlans.Create(FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!)), _dir.FullName, out var skipped, gatewayCommand: Built("src", "McpFleet.Gateway", "mcpfleet-gateway"));
        Assert.Empty(skipped);
        Assert.NotNull(plan.Gateway);
        var options = new LocalRunOptions { AnyPort = true, GracePeriod = TimeSpan.FromSeconds(20), StateFile = Path.Combine(_dir.FullName, "state.json") };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        List<int> pids;
        try
        {
            // The state file says the gateway is ready a moment before the runner reports its URL: wait for both.
            var state = await LocalTestSupport.WaitForStateAsync(options.StateFile, s => s.Servers.Count == 3 && s.Servers.All(x => x.Ready) && progress.GatewayUrl is not null, run, progress);
            pids = [.. state.Servers.Select(s => s.Pid!.Value)];
            var gateway = state.Servers[2];
            Assert.Equal(("gateway", 3, "gateway"), (gateway.Server, gateway.Phase, gateway.PhaseName));
            Assert.True(progress.IndexOf("notes: ready") < progress.IndexOf("gateway: started"), LocalTestSupport.Describe(progress));
            Assert.Equal($"http://127.0.0.1:{gateway.Port}/mcp", progress.GatewayUrl);

            var conformance = await ListToolsAsync(http, $"http://127.0.0.1:{state.Servers[0].Port}/mcp");
            var notes = await ListToolsAsync(http, $"http://127.0.0.1:{state.Servers[1].Port}/mcp");
            // The gateway is ready before it has read its upstreams' lists: wait (bounded) until both are in.
            IList<McpClientTool> federated;
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                while ((federated = await ListToolsAsync(http, progress.GatewayUrl!)).Count < conformance.Count + notes.Count)
                {
                    await Task.Delay(200, bound.Token);
                }
            }

            Assert.Equal(
                conformance.Select(t => "conformance_" + t.Name).Concat(notes.Select(t => "notes_" + t.Name)).Order(StringComparer.Ordinal),
                federated.Select(t => t.Name).Order(StringComparer.Ordinal));
            Assert.NotEmpty(conformance);
            Assert.NotEmpty(notes);

            // The config sits in the private run directory, with the local servers' loopback URLs.
            var config = File.ReadAllText(Path.Combine(new LocalRunFiles(options.StateFile).RunDirectory, "gateway", GatewayConfigJson.FileName));
            Assert.Contains($"\"url\": \"http://127.0.0.1:{state.Servers[0].Port}/mcp\"", config, StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        Assert.All(pids, pid => Assert.True(LocalTestSupport.IsGone(pid), $"pid {pid} is still running"));
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
        Assert.True(progress.IndexOf("gateway: stopping pid") < progress.IndexOf("notes: stopping pid"), LocalTestSupport.Describe(progress));
        Assert.DoesNotContain(progress.Events, e => e.Contains("killing it", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_Gateway_VariableThenBesideMcpfleetThenPath_OrOneLineWhy()
    {
        var beside = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin")).FullName;
        var onPath = Directory.CreateDirectory(Path.Combine(_dir.FullName, "path")).FullName;
        var gateway = CompanionProgram.Gateway;

        Assert.Null(gateway.Find(_ => null, beside, out var missing));
        Assert.Equal("mcpfleet-gateway was not found (MCPFLEET_GATEWAY is not set, and it is neither next to mcpfleet nor on PATH)", missing);

        var pathCopy = Path.Combine(onPath, "mcpfleet-gateway");
        File.WriteAllText(pathCopy, "");
        Assert.Equal(pathCopy, gateway.Find(v => v == "PATH" ? onPath : null, beside, out missing));
        Assert.Null(missing);

        var besideCopy = Path.Combine(beside, "mcpfleet-gateway");
        File.WriteAllText(besideCopy, "");
        Assert.Equal(besideCopy, gateway.Find(v => v == "PATH" ? onPath : null, beside, out _));

        Assert.Null(gateway.Find(v => v == "MCPFLEET_GATEWAY" ? "/nonexistent/gw" : null, beside, out missing));
        Assert.Equal("MCPFLEET_GATEWAY=/nonexistent/gw names no file", missing);
        Assert.Equal(besideCopy, gateway.Find(v => v == "MCPFLEET_GATEWAY" ? besideCopy : null, "/nowhere", out _));
    }

    [Fact]
    public void Create_GatewayFrontingServersWithoutRun_LeavesThemOutAndSaysSo()
    {
        WriteFleet();
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "notes.yaml"), "name: notes\nport: 9002\nversion: \"1.0.0\"\ndependsOn: [conformance]\n");
        var rendered = FleetRenderer.Render(FleetResolver.Resolve(FleetLoader.Load(_dir.FullName).Spec!));

        var plan = LocalFleetPlans.Create(rendered, _dir.FullName, out var skipped, gatewayCommand: "/bin/true");
        var without = LocalFleetPlans.Create(rendered, _dir.FullName, out var skippedWithout);

        Assert.Equal(["conformance"], plan.Gateway!.Upstreams.Select(u => u.Server));
        Assert.Contains("gateway: fronts notes, which has no 'run'; left out of its config", skipped);
        Assert.Null(without.Gateway);
        Assert.Contains("gateway: no mcpfleet-gateway executable given; not started", skippedWithout);
    }
}
