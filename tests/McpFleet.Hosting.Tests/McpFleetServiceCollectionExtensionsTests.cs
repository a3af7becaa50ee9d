using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting.Tests;

/// <summary><c>AddMcpFleetServer</c>: what it registers, and the JSON logs it sets up.</summary>
public sealed partial class McpFleetServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMcpFleetServer_CalledTwice_RegistersNothingTwice()
    {
        var once = InProcessServer.CreateBuilder();
        once.AddMcpFleetServer();
        var twice = InProcessServer.CreateBuilder();
        twice.AddMcpFleetServer();
        twice.AddMcpFleetServer();

        Assert.Equal(Describe(once.Services), Describe(twice.Services));
    }

    [Fact]
    public async Task AddMcpFleetServer_CalledTwice_ServesAsWhenCalledOnce()
    {
        // A second call used to add the draining check twice (so /ready failed) and a second resilience handler.
        await using var server = await InProcessServer.StartAsync(build: b => b.AddMcpFleetServer(o => o.ServerVersion = "2.0.0"));

        using var ready = await server.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var echo = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"once"}}}""");
        Assert.Contains("\"text\":\"once\"", await echo.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("2.0.0", server.App.Services.GetRequiredService<IOptions<McpFleetServerOptions>>().Value.ServerVersion);
    }

    private static List<string> Describe(IServiceCollection services) =>
        [.. services.Select(d => $"{d.ServiceType} {d.ImplementationType?.ToString() ?? (d.ImplementationInstance is not null ? "instance" : "factory")}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Logs_EveryStdoutLineIsJson_ToolCallsCarryToolDurationTraceAndSpan()
    {
        await using var server = await ServerProcess.StartAsync("Conformance");
        await server.CallToolAsync("echo", """{"message":"log me"}""");
        server.Terminate();
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), server.Output);

        var lines = server.StdoutLines.Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        JsonElement? toolLine = null;
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            foreach (var field in (string[])["Timestamp", "LogLevel", "Category", "Message"])
            {
                Assert.True(root.TryGetProperty(field, out _), $"{field} missing in {line}");
            }

            Assert.True(DateTimeOffset.TryParse(root.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), line);
            if (root.GetProperty("Category").GetString() == "McpFleet.Hosting.McpFleetToolCallFilter")
            {
                toolLine = root.Clone();
            }
        }

        Assert.True(toolLine.HasValue, string.Join('\n', lines));
        var state = toolLine.Value.GetProperty("State");
        Assert.Equal("echo", state.GetProperty("Tool").GetString());
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        var scopes = toolLine.Value.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && HexId().IsMatch(t.GetString()!) && s.TryGetProperty("SpanId", out _));
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();

}
