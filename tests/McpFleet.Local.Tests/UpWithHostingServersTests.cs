using System.Diagnostics;
using McpFleet.Local.State;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Local.Tests;

/// <summary><c>up --local</c> end to end: the spec loader, the renderer and the runner with the two Hosting reference servers.</summary>
public sealed class UpWithHostingServersTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-up-hosting-");

    public void Dispose() => _dir.Delete(recursive: true);


    private static string ServerDll(string name) => LocalTestSupport.Built("servers", name, $"McpFleet.Servers.{name}.dll");

    private void WriteFleet()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.yaml"), """
            name: local-demo
            namespace: local-demo
            environment: dev
            env:
              McpFleet__BindAddress: 127.0.0.1
              McpFleet__DrainDelay: "00:00:01"
              McpFleet__ShutdownTimeout: "00:00:05"
            callers:
              app: backend
            phases:
              - name: core
                servers: [conformance]
              - name: tools
                servers: [notes]
            """);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "values"));
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "conformance.yaml"), $"""
            name: conformance
            port: 9001
            version: "1.0.0"
            tools: 15
            description: Conformance scenarios
            run:
              command: dotnet
              args: ["{ServerDll("Conformance")}"]
            """);
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "notes.yaml"), $"""
            name: notes
            port: 9002
            version: "1.0.0"
            tools: 3
            description: Notes, echoed through conformance
            dependsOn: [conformance]
            run:
              command: dotnet
              args: ["{ServerDll("Notes")}"]
            """);
    }

    /// <summary>Calls a tool through the official MCP client and returns its first text block.</summary>
    private static async Task<string> CallToolAsync(HttpClient http, int port, string tool, Dictionary<string, object?> arguments)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, ownsHttpClient: false);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);
        return result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "";
    }

    [Fact]
    public async Task Up_NotesCallsConformanceThroughItsDependencyUrl_RestartsAndDrainsCleanly()
    {
        WriteFleet();
        var loaded = FleetLoader.Load(_dir.FullName);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var plan = LocalFleetPlans.Create(FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!)), _dir.FullName, out var skipped);
        Assert.Empty(skipped);
        var options = new LocalRunOptions
        {
            AnyPort = true,
            HealthPeriod = TimeSpan.FromMilliseconds(250),
            InitialBackoff = TimeSpan.FromMilliseconds(250),
            GracePeriod = TimeSpan.FromSeconds(20),
            StateFile = Path.Combine(_dir.FullName, "state.json"),
        };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var pids = new List<int>();
        try
        {
            var state = await LocalTestSupport.WaitForStateAsync(options.StateFile, s => s.Servers.Count == 2 && s.Servers.All(x => x.Ready), run, progress);
            var conformance = state.Servers[0];
            var notes = state.Servers[1];
            pids.AddRange([conformance.Pid!.Value, notes.Pid!.Value]);
            Assert.True(progress.IndexOf("conformance: ready") < progress.IndexOf("notes: started"), string.Join("\n", progress.Events));

            Assert.Equal("hello", await CallToolAsync(http, notes.Port, "notes_remote_echo", new() { ["message"] = "hello" }));

            using (var victim = Process.GetProcessById(conformance.Pid!.Value))
            {
                victim.Kill();
            }

            var restarted = await LocalTestSupport.WaitForStateAsync(options.StateFile, s => s.Servers[0] is { Restarts: 1, Ready: true, Pid: { } p } && p != conformance.Pid && s.Servers[1].Ready, run, progress);
            pids.Add(restarted.Servers[0].Pid!.Value);
            Assert.Equal("again", await CallToolAsync(http, notes.Port, "notes_remote_echo", new() { ["message"] = "again" }));
        }
        finally
        {
            await cts.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        Assert.All(pids, pid => Assert.True(LocalTestSupport.IsGone(pid), $"pid {pid} is still running"));
        Assert.Empty(LocalTestSupport.ProcessesIn(_dir.FullName));
        Assert.True(progress.IndexOf("notes: stopping pid") < progress.IndexOf("conformance: stopping pid"), string.Join("\n", progress.Events));
        Assert.DoesNotContain(progress.Events, e => e.Contains("killing it", StringComparison.Ordinal));
    }

    /// <summary>The local addresses of the TCP sockets listening on <paramref name="port"/> (Linux /proc/net/tcp and tcp6).</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var hexPort = port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => f[1][..f[1].IndexOf(':', StringComparison.Ordinal)])
            .ToList();
    }

    [Fact]
    public async Task Up_HostingServerWithoutBindAddressInTheSpec_ListensOnLoopbackOnly()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "fleet.yaml"), """
            name: local-demo
            namespace: local-demo
            env:
              McpFleet__DrainDelay: "00:00:00"
            callers:
              app: backend
            phases:
              - name: core
                servers: [conformance]
            """);
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "values"));
        File.WriteAllText(Path.Combine(_dir.FullName, "values", "conformance.yaml"), $"""
            name: conformance
            port: 9001
            version: "1.0.0"
            tools: 15
            run:
              command: dotnet
              args: ["{ServerDll("Conformance")}"]
            """);
        var loaded = FleetLoader.Load(_dir.FullName);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var plan = LocalFleetPlans.Create(FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!)), _dir.FullName, out _);
        var options = new LocalRunOptions { AnyPort = true, StateFile = Path.Combine(_dir.FullName, "state.json"), GracePeriod = TimeSpan.FromSeconds(20) };
        var progress = new LocalRecorder();
        using var cts = new CancellationTokenSource();
        var run = new LocalFleetRunner(TimeProvider.System, progress).RunAsync(plan, options, cts.Token);
        try
        {
            var server = (await LocalTestSupport.WaitForStateAsync(options.StateFile, s => s.Servers[0].Ready, run, progress)).Servers[0];

            // 0100007F is 127.0.0.1 in /proc's byte order; every interface would be 00000000 (or :: in tcp6).
            Assert.Equal(["0100007F"], ListeningAddresses(server.Port));
            Assert.Equal(["0100007F"], ListeningAddresses(server.MetricsPort));
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken)).Success);
    }
}
