using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace McpFleet.Hosting.Tests;

/// <summary>
/// Stateful sessions are bounded per caller and in all (D7): a client that opens sessions in a loop gets 429 past its
/// own limit, and nobody's session is evicted to make room. Callers are told apart by source address (127.0.0.x) or key.
/// </summary>
public sealed class McpFleetSessionLimiterTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    [Fact]
    public async Task Sessions_OneCallerOpensMany_CannotEvictAnothersSession()
    {
        await using var server = await InProcessServer.StartAsync(o => { o.SessionMode = McpFleetSessionMode.Stateful; o.MaxSessions = 20; o.MaxSessionsPerCaller = 5; });
        using var victim = ClientFrom("127.0.0.2", server.Port);
        using var attacker = ClientFrom("127.0.0.3", server.Port);
        var victimSession = await OpenSessionAsync(victim);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await McpHttp.PostAsync(attacker, Initialize);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.False(response.Headers.Contains("Mcp-Session-Id"));
                var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.Contains("\"code\":-32000", text, StringComparison.Ordinal);
                Assert.Contains("Too many sessions: this caller has 5 open MCP sessions", text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(25, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(victim, victimSession));
        Assert.Equal(6, server.App.Services.GetRequiredService<McpFleetSessionLimiter>().Count);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await OpenAsync(victim)).StatusCode); // others unaffected
    }

    [Fact]
    public async Task Sessions_ServerFull_NewSessionGets503_OpenSessionsKept()
    {
        await using var server = await InProcessServer.StartAsync(o => { o.SessionMode = McpFleetSessionMode.Stateful; o.MaxSessions = 3; o.MaxSessionsPerCaller = 2; });
        using var a = ClientFrom("127.0.0.2", server.Port);
        using var b = ClientFrom("127.0.0.3", server.Port);
        using var c = ClientFrom("127.0.0.4", server.Port);
        string[] open = [await OpenSessionAsync(a), await OpenSessionAsync(a), await OpenSessionAsync(b)];

        using var refused = await OpenAsync(c);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Server busy: 3 open MCP sessions", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(a, open[0]));
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(a, open[1]));
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(b, open[2]));
    }

    [Fact]
    public async Task Sessions_ClosedByDelete_GiveTheirSlotBack()
    {
        await using var server = await InProcessServer.StartAsync(o => { o.SessionMode = McpFleetSessionMode.Stateful; o.MaxSessionsPerCaller = 1; });
        var session = await OpenSessionAsync(server.Http);
        using (var second = await OpenAsync(server.Http))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, RuntimeContract.McpPath);
        delete.Headers.Add("Mcp-Session-Id", session);
        using (var deleted = await server.Http.SendAsync(delete, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        // The SDK finishes disposing the session just after it answers the DELETE.
        var limiter = server.App.Services.GetRequiredService<McpFleetSessionLimiter>();
        for (var i = 0; i < 500 && limiter.Count > 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, limiter.Count);
        await OpenSessionAsync(server.Http);
    }

    [Fact]
    public async Task Sessions_WithApiKeys_CallerIsTheKey()
    {
        await using var server = await InProcessServer.StartAsync(
            o => { o.SessionMode = McpFleetSessionMode.StatefulForInitializeClients; o.MaxSessionsPerCaller = 1; },
            new Dictionary<string, string?> { [RuntimeContract.EnvironmentVariables.ApiKeys] = "key-one,key-two" });

        // Same address, two keys: two callers.
        await OpenSessionAsync(server.Http, "key-one");
        using (var again = await OpenAsync(server.Http, "key-one"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        }

        await OpenSessionAsync(server.Http, "key-two");
    }

    [Fact]
    public async Task Sessions_ServerOwnSessionHooks_StillCalled_LimitsStillApply()
    {
        var configured = 0;
        var ran = 0;
        await using var server = await InProcessServer.StartAsync(
            o => { o.SessionMode = McpFleetSessionMode.Stateful; o.MaxSessionsPerCaller = 1; },
            build: b => b.Services.AddMcpServer().WithHttpTransport(t =>
            {
                t.ConfigureSessionOptions = (_, _, _) => { Interlocked.Increment(ref configured); return Task.CompletedTask; };
#pragma warning disable MCPEXP002
                t.RunSessionHandler = (_, mcp, ct) => { Interlocked.Increment(ref ran); return mcp.RunAsync(ct); };
#pragma warning restore MCPEXP002
            }));

        await OpenSessionAsync(server.Http);
        using var second = await OpenAsync(server.Http);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(1, configured);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task Sessions_Limits_MapToTheSdkTransport()
    {
        await using var server = await InProcessServer.StartAsync(o => { o.SessionMode = McpFleetSessionMode.Stateful; o.SessionIdleTimeout = TimeSpan.FromMinutes(3); o.MaxSessions = 50; });
        var transport = server.App.Services.GetRequiredService<IOptions<HttpServerTransportOptions>>().Value;

#pragma warning disable MCP9006
        Assert.Equal(TimeSpan.FromMinutes(3), transport.IdleTimeout);
        Assert.Equal(100, transport.MaxIdleSessionCount);
#pragma warning restore MCP9006
        var defaults = new McpFleetServerOptions();
        Assert.Equal(TimeSpan.FromMinutes(10), defaults.SessionIdleTimeout);
        Assert.Equal(1000, defaults.MaxSessions);
        Assert.Equal(100, defaults.MaxSessionsPerCaller);
    }

    private static async Task<string> OpenSessionAsync(HttpClient client, string? apiKey = null)
    {
        using var response = await OpenAsync(client, apiKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return Assert.Single(response.Headers.GetValues("Mcp-Session-Id"));
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string? apiKey = null) =>
        McpHttp.PostAsync(client, Initialize, r => r.Headers.Authorization = apiKey is null ? null : new("Bearer", apiKey));

    private static async Task<HttpStatusCode> ListToolsAsync(HttpClient client, string session)
    {
        using var response = await McpHttp.PostAsync(client, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", r =>
        {
            r.Headers.Add("Mcp-Session-Id", session);
            r.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        });
        return response.StatusCode;
    }

    /// <summary>A client whose connections come from <paramref name="source"/>, another loopback address, so the server sees another caller.</summary>
    private static HttpClient ClientFrom(string source, int port) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
}
