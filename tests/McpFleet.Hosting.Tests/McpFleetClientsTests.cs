using System.Net;
using McpFleet.Tests;

namespace McpFleet.Hosting.Tests;

/// <summary>Discovery and the dependency readiness check, with Notes calling Conformance as real processes.</summary>
public sealed class McpFleetClientsTests
{
    [Fact]
    public async Task Probes_DependencyDown_LivenessOkReadiness503_ThenReadyWhenItComesUp()
    {
        var conformancePort = LoopbackPorts.Next();
        await using var notes = await ServerProcess.StartAsync(
            "Notes",
            new Dictionary<string, string> { ["CONFORMANCE_MCP_URL"] = $"http://127.0.0.1:{conformancePort}/mcp" },
            waitReady: false);

        using (var health = await notes.Http.GetAsync(RuntimeContract.HealthPath, TestContext.Current.CancellationToken))
        using (var ready = await notes.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await using var conformance = await ServerProcess.StartAsync(
            "Conformance", new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.ServerPort] = conformancePort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await notes.WaitForAsync(RuntimeContract.ReadyPath);

        // Discovery end to end: notes calls conformance's echo through IMcpFleetClients.
        Assert.Contains("note 1 saved", await notes.CallToolAsync("notes_add", """{"text":"fleet"}"""), StringComparison.Ordinal);
        Assert.Contains("1: fleet", await notes.CallToolAsync("notes_list", "{}"), StringComparison.Ordinal);
    }
}
