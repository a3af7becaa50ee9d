using System.Diagnostics;
using System.Net;
using McpFleet.Tests;

namespace McpFleet.Proxy.Tests;

/// <summary>The child dies, the proxy is told to stop, the proxy is killed: calls end with answers or errors, never hang, and no process is left.</summary>
public sealed class ResilienceTests
{
    private const int Workers = 16;

    [Fact]
    public async Task ChildKilledUnderLoad_Ready503WithinOneSecond_RestartsAndCallsSucceedAgain()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"mcpfleet-proxy-child-{Guid.NewGuid():N}.pid");
        await using var proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy("--marker", marker)]);
        await using var load = new LoadDriver(
            proxy,
            Workers,
            w => $$$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"w{{{{w}}}}"}}}""",
            (w, text) => text.Contains($"\"text\":\"w{w}\"", StringComparison.Ordinal));
        await LoadDriver.WaitUntilAsync(() => load.Ok >= 200, TimeSpan.FromSeconds(60), () => $"{load.Ok} ok; {string.Join('|', load.Failures.Take(3))}\n{proxy.Output}");

        var childPid = int.Parse(await File.ReadAllTextAsync(marker, TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Native.Kill(childPid, Native.SigKill));
        var reason = await proxy.WaitForReadyStatusAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
        var unready = clock.Elapsed;
        Assert.True(unready < TimeSpan.FromSeconds(1), $"/ready turned 503 after {unready}");
        Assert.Contains("the MCP server", reason, StringComparison.Ordinal);

        // The exit is reported once the child's group is gone; the restart reason (in /ready and the log) names the signal.
        await LoadDriver.WaitUntilAsync(
            () => proxy.Output.Contains("MCP server gone: the MCP server was killed by signal 9 (SIGKILL)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            () => $"the reason never named the signal\n{proxy.Output}");

        await proxy.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var before = load.Ok;
        await LoadDriver.WaitUntilAsync(() => load.Ok >= before + 200, TimeSpan.FromSeconds(60), () => $"{load.Ok - before} ok after the restart\n{proxy.Output}");
        await load.StopAsync();

        Assert.Empty(load.Hung);
        Assert.Empty(load.NotAccepted);

        // Calls in flight when the child died got a JSON-RPC error that says so (or that it is restarting, for the ones that
        // passed admission just before); the ones sent during the restart got 503.
        var unexpected = load.Failures.Where(f => !System.Text.RegularExpressions.Regex.IsMatch(f, "-32603,\"message\":\"mcpfleet-proxy: the MCP server (went away before answering|is not ready: the MCP server (was killed by signal 9|went away))")).Distinct().ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.All(load.Refused, r => Assert.Contains("mcpfleet-proxy: the MCP server is not ready", r, StringComparison.Ordinal));
        Assert.Matches("""mcpfleet_upstream_restarts_total\{otel_scope_name="McpFleet.Upstreams"\} 1""", await proxy.MetricsAsync());
        File.Delete(marker);
    }

    [Fact]
    public async Task SigtermUnderLoad_EveryAcceptedCallCompletes_ProxyExits0_NoProcessLeft()
    {
        var tag = $"proxy-test-{Guid.NewGuid():N}";
        var proxy = await ProxyProcess.StartAsync(["stdio", .. Children.Legacy("--tag", tag)]);
        await using (proxy)
        {
            await using var load = new LoadDriver(
                proxy,
                Workers,
                w => """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"slow","arguments":{"ms":300}}}""",
                (_, text) => text.Contains("slept 300", StringComparison.Ordinal));
            await LoadDriver.WaitUntilAsync(() => load.Ok >= 64, TimeSpan.FromSeconds(60), () => $"{load.Ok} ok\n{proxy.Output}");

            proxy.Signal(Native.SigTerm);
            Assert.True(await proxy.WaitForExitAsync(TimeSpan.FromSeconds(30)), proxy.Output);
            await load.StopAsync();

            // Calls accepted before the listener closed all completed; later ones found no listener.
            Assert.Equal(0, proxy.ExitCode);
            Assert.Empty(load.Failures);
            Assert.Empty(load.Hung);
            Assert.Empty(load.Refused);
            Assert.Contains("Requests drained: stopping the MCP server", proxy.Output, StringComparison.Ordinal);
        }

        Assert.Empty(await ProcessTable.WaitGoneAsync(tag, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SigkillOfTheProxy_ChildAndItsOwnChildrenEnd_NoProcessLeft()
    {
        var tag = $"proxy-test-{Guid.NewGuid():N}";
        var sleeper = $"{Random.Shared.Next(100_000, 999_999)}.{Random.Shared.Next(1000, 9999)}";

        // As npx does: the server runs a process of its own, which stays in the server's process group.
        var script = $"sleep {sleeper} & exec {McpFleet.Tests.ExternalTools.Node} {Path.Combine(AppContext.BaseDirectory, "children", "legacy-child.mjs")} --tag {tag}";
        var proxy = await ProxyProcess.StartAsync(["stdio", "--", "/bin/sh", "-c", script]);
        await using (proxy)
        {
            Assert.NotEmpty(ProcessTable.Find(tag));
            Assert.NotEmpty(ProcessTable.Find($"sleep {sleeper}"));
            proxy.Signal(Native.SigKill);
            Assert.True(await proxy.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Empty(await ProcessTable.WaitGoneAsync(tag, TimeSpan.FromSeconds(10)));
        Assert.Empty(await ProcessTable.WaitGoneAsync($"sleep {sleeper}", TimeSpan.FromSeconds(10)));
    }
}
