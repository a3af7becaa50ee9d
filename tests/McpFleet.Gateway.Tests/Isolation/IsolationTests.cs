using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Tests;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Tests.Isolation;

/// <summary>Runs the timing-sensitive load test alone, not next to this project's other tests that start fleets of their own.</summary>
[CollectionDefinition(nameof(IsolationTests), DisableParallelization = true)]
public sealed class IsolationRunsAlone;

/// <summary>One upstream failing never touches the others: fault injection under load, an upstream that is not there at start.</summary>
[Collection(nameof(IsolationTests))]
public sealed class IsolationTests
{
    [Fact]
    public async Task CallTool_OneUpstreamKilledUnderLoad_OthersNeverFailDeadOneFailsFastAndReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = new LoopbackFleetOf(["alpha", "beta", "gamma"]);
        await fleet.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(fleet.Config);
        foreach (var name in fleet.Names)
        {
            await gateway.WaitForUpstreamAsync(name, "up");
        }

        await using var lister = await gateway.ConnectAsync();
        var before = (await lister.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).ToList();
        Assert.Contains("gamma_echo", before);

        // 4 clients call the tools of alpha and beta for 20 s; a fifth keeps calling gamma, which is killed after 2 s.
        var healthyOk = 0;
        ConcurrentQueue<string> healthyFailures = new();
        ConcurrentQueue<(TimeSpan Took, string Message)> deadFailures = new();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(20);
        var clients = new List<McpClient>();
        for (var i = 0; i < 5; i++)
        {
            clients.Add(await gateway.ConnectAsync());
        }

        var load = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var n = 0;
            while (clock.Elapsed < duration)
            {
                var tool = (n++ + i) % 2 == 0 ? "alpha_echo" : "beta_echo";
                try
                {
                    var result = await clients[i].CallToolAsync(tool, new Dictionary<string, object?> { ["message"] = $"c{i}-{n}" }, cancellationToken: ct);
                    Assert.Equal($"c{i}-{n}", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
                    Interlocked.Increment(ref healthyOk);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    healthyFailures.Enqueue($"{tool}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }, ct)).ToList();

        var killedAt = TimeSpan.Zero;
        var dead = Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var start = clock.Elapsed;
                try
                {
                    _ = await clients[4].CallToolAsync("gamma_echo", new Dictionary<string, object?> { ["message"] = "x" }, cancellationToken: ct);
                }
                catch (McpProtocolException ex)
                {
                    deadFailures.Enqueue((clock.Elapsed - start, ex.Message));
                }

                await Task.Delay(50, ct);
            }
        }, ct);

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        killedAt = clock.Elapsed;
        await fleet.Servers["gamma"].KillAsync();

        // While gamma is down: /ready stays 200, its tools leave the list, every other name stays exactly as it was.
        await gateway.WaitForUpstreamAsync("gamma", "down", TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Process.ReadyAsync()).Status);
        var during = (await lister.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).ToList();
        Assert.Equal(before.Where(n => !n.StartsWith("gamma_", StringComparison.Ordinal)), during);

        await Task.WhenAll([.. load, dead]);
        Assert.True(healthyFailures.IsEmpty, $"{healthyFailures.Count} calls to healthy upstreams failed, e.g. {healthyFailures.FirstOrDefault()}\n{gateway.Process.Output}");
        Assert.True(healthyOk > 100, $"only {healthyOk} calls to healthy upstreams in 20 s");
        Assert.NotEmpty(deadFailures);
        Assert.All(deadFailures, f =>
        {
            Assert.Contains("upstream 'gamma'", f.Message, StringComparison.Ordinal);
            Assert.True(f.Took < TimeSpan.FromSeconds(1), $"a call to the dead upstream took {f.Took.TotalMilliseconds:0} ms to fail: {f.Message}");
        });

        // gamma comes back on its port: the gateway reconnects by itself and its tools return under the same names.
        await fleet.RestartAsync("gamma");
        await fleet.Servers["gamma"].WaitReadyAsync();
        await gateway.WaitForUpstreamAsync("gamma", "up", TimeSpan.FromSeconds(30));
        var after = (await lister.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).ToList();
        Assert.Equal(before, after);
        var back = await clients[4].CallToolAsync("gamma_echo", new Dictionary<string, object?> { ["message"] = "back" }, cancellationToken: ct);
        Assert.Equal("back", Assert.IsType<TextContentBlock>(Assert.Single(back.Content)).Text);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_OneUpstreamNotListening_GatewayReadyOthersServeItsCallsNameItUntilItStarts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = new LoopbackFleetOf(["alpha"]);
        await fleet.StartAsync();
        var latePort = LoopbackPorts.Next();
        var config = fleet.Config;
        config["upstreams"]!.AsArray().Add(new JsonObject { ["name"] = "late", ["url"] = $"http://127.0.0.1:{latePort}/mcp" });
        await using var gateway = await GatewayProcess.StartAsync(config);
        await gateway.WaitForUpstreamAsync("alpha", "up");

        var status = await gateway.StatusAsync();
        var late = status["upstreams"]!.AsArray().Single(u => (string?)u!["name"] == "late")!;
        Assert.Equal("down", (string?)late["state"]);
        Assert.False(string.IsNullOrEmpty((string?)late["reason"]));

        await using var client = await gateway.ConnectAsync();
        Assert.DoesNotContain((await client.ListToolsAsync(cancellationToken: ct)), t => t.Name.StartsWith("late_", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<McpProtocolException>(async () => await client.CallToolAsync("late_echo", cancellationToken: ct));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.ElapsedMilliseconds} ms");
        Assert.Contains("upstream 'late' is down", refused.Message, StringComparison.Ordinal);
        Assert.Equal("2", (await client.CallToolAsync("alpha_echo", new Dictionary<string, object?> { ["message"] = "2" }, cancellationToken: ct)).Content.OfType<TextContentBlock>().Single().Text);

        fleet.Add("late", latePort);
        await fleet.Servers["late"].WaitReadyAsync();
        await gateway.WaitForUpstreamAsync("late", "up", TimeSpan.FromSeconds(30));
        Assert.Contains((await client.ListToolsAsync(cancellationToken: ct)), t => t.Name == "late_echo");
    }
}

/// <summary>Conformance servers under several names (each its own process and port), and the gateway config that fronts them.</summary>
internal sealed class LoopbackFleetOf(string[] names) : IAsyncDisposable
{
    private readonly Dictionary<string, ServiceProcess> _servers = [];
    private readonly Dictionary<string, int> _ports = [];

    public string[] Names => [.. _ports.Keys];

    public IReadOnlyDictionary<string, ServiceProcess> Servers => _servers;

    public JsonObject Config => new()
    {
        ["upstreams"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["url"] = $"http://127.0.0.1:{_ports[n]}/mcp" })]),
        ["health"] = new JsonObject { ["pingInterval"] = "1s", ["pingTimeout"] = "3s", ["maxBackoff"] = "1s" },
    };

    public async Task StartAsync()
    {
        foreach (var name in names)
        {
            Add(name, LoopbackPorts.Next());
        }

        await Task.WhenAll(_servers.Values.Select(s => s.WaitReadyAsync()));
    }

    public ServiceProcess Add(string name, int port)
    {
        _ports[name] = port;
        return _servers[name] = LoopbackFleet.StartConformance(name, port);
    }

    public async Task<ServiceProcess> RestartAsync(string name)
    {
        await _servers[name].DisposeAsync();
        return Add(name, _ports[name]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
