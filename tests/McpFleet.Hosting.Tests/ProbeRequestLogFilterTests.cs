using System.Net;

namespace McpFleet.Hosting.Tests;

/// <summary>Probe and metrics requests leave no Information lines; other requests keep theirs.</summary>
public sealed class ProbeRequestLogFilterTests
{
    [Fact]
    public async Task Probes_AtInformation_LeaveNoLogLines_McpRequestsKeepTheirs()
    {
        await using var server = await InProcessServer.StartAsync();
        using var metrics = new HttpClient();

        foreach (var path in (string[])[RuntimeContract.HealthPath, RuntimeContract.ReadyPath, RuntimeContract.ReadyPath + "/"])
        {
            using var probe = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        using (var scrape = await metrics.GetAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}{RuntimeContract.MetricsPath}"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        }

        using (var mcp = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, mcp.StatusCode);
        }

        var requestLines = server.Logs.Records.Where(r => r.Category.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)).Select(r => r.Message).ToList();
        var probeLines = requestLines.Where(m => m.Contains("/health", StringComparison.Ordinal) || m.Contains("/ready", StringComparison.Ordinal) || m.Contains("/metrics", StringComparison.Ordinal)).ToList();
        Assert.True(probeLines.Count == 0, string.Join("\n", server.Logs.Records.Where(r => probeLines.Contains(r.Message)).Select(r => $"{r.Category} {r.EventId} {r.Message}")));
        Assert.Contains(requestLines, m => m.StartsWith("Request starting HTTP/1.1 POST http://127.0.0.1:", StringComparison.Ordinal) && m.Contains("/mcp", StringComparison.Ordinal));
        Assert.Contains(requestLines, m => m.StartsWith("Executing endpoint 'MCP Streamable HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownPath_KeepsItsRequestLines()
    {
        // Only probe and scrape paths lose their lines: a path the server does not have is an ordinary request.
        await using var server = await InProcessServer.StartAsync();

        using var missing = await server.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Contains(server.Logs.Records, r => r.Message.Contains("/healthz", StringComparison.Ordinal));
    }
}
