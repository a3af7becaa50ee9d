using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace McpFleet.Hosting.Tests;

/// <summary>Host/Origin, body limit and malformed JSON-RPC against one Conformance process.</summary>
public sealed class McpFleetRequestMiddlewareTests : IAsyncLifetime
{
    private const string Echo = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";
    private ServerProcess _server = null!;

    // A 16 KiB body limit keeps the oversize bodies small.
    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string> { ["McpFleet__MaxRequestBodyBytes"] = "16384" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("http://evil.example.com")]
    [InlineData("https://mcp-conformance.attacker.net")]
    [InlineData("null")]
    public async Task Mcp_BadOrigin_Gets403WithJsonRpcError(string origin)
    {
        using var response = await _server.PostMcpAsync(Echo, r => r.Headers.Add("Origin", origin));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertJsonRpcErrorAsync(response);
    }

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://mcp-conformance.default.svc.cluster.local:8080")]
    public async Task Mcp_AllowedOrigin_IsServed(string origin)
    {
        using var response = await _server.PostMcpAsync(Echo, r => r.Headers.Add("Origin", origin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Mcp_RebindingHost_Gets403_ServiceDnsNameAndIpHostsAreServed()
    {
        using (var evil = await _server.PostMcpAsync(Echo, r => r.Headers.Host = "evil.example.com"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        }

        foreach (var host in (string[])["mcp-conformance", "mcp-conformance.default.svc:80", "10.42.0.17:8080", "[::1]:8080"])
        {
            using var ok = await _server.PostMcpAsync(Echo, r => r.Headers.Host = host);
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"Host {host}: {ok.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    public async Task Probes_AnyHostAndOrigin_Answer200(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example.com";
        request.Headers.Add("Origin", "http://evil.example.com");
        using var response = await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AnyHost_Answers200OnMetricsPortOnly()
    {
        using var metrics = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_server.MetricsPort}/metrics");
        request.Headers.Host = "prometheus.monitoring.svc";
        using var response = await metrics.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var onMcpPort = await _server.Http.GetAsync(RuntimeContract.MetricsPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, onMcpPort.StatusCode);
        using var mcpOnMetricsPort = await metrics.PostAsync(
            new Uri($"http://127.0.0.1:{_server.MetricsPort}/mcp"), new StringContent(Echo, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, mcpOnMetricsPort.StatusCode);
    }

    [Fact]
    public async Task Mcp_OversizeBody_Gets413_WithContentLengthAndChunked()
    {
        // With Expect: 100-continue the 413 comes before any body is sent, so no reset can race the response.
        using (var response = await _server.PostMcpAsync(Oversize(256 * 1024), r => r.Headers.ExpectContinue = true))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            await AssertJsonRpcErrorAsync(response);
        }

        // A chunked body only a little over the 16 KiB limit fits in the socket buffers, so the client reads the 413.
        using (var chunked = await _server.PostMcpAsync(Oversize(20 * 1024), r => r.Headers.TransferEncodingChunked = true))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        }

        Assert.Contains("\"text\":\"hi\"", await _server.CallToolAsync("echo", """{"message":"hi"}"""), StringComparison.Ordinal);
    }

    private static string Oversize(int bytes) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"" + new string('x', bytes) + "\"}}}";

    [Fact]
    public async Task Mcp_SixtyMalformedBodies_EachGetsAnError_ServerStaysUp()
    {
        string[] shapes =
        [
            "{", "not json", "[]", "null", "42", "\"str\"", """{"jsonrpc":"1.0","id":1,"method":"ping"}""",
            """{"jsonrpc":"2.0","id":{},"method":"ping"}""", """{"jsonrpc":"2.0","id":1}""", """{"jsonrpc":"2.0","id":1,"method":7}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}""", """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":5}}}""",
            "\u0000\u0001\u0002", """{"jsonrpc":"2.0","id":1,"method":"no/such/method"}""",
        ];
        for (var i = 0; i < 60; i++)
        {
            var body = shapes[i % shapes.Length];
            using var response = await _server.PostMcpAsync(body);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var isError = (int)response.StatusCode >= 400 || text.Contains("\"error\"", StringComparison.Ordinal) || text.Contains("\"isError\":true", StringComparison.Ordinal);
            Assert.True(isError, $"body {body} got {(int)response.StatusCode} {text}");
        }

        Assert.False(_server.Exited.IsCompleted, _server.Output);
        Assert.Contains("\"text\":\"still up\"", await _server.CallToolAsync("echo", """{"message":"still up"}"""), StringComparison.Ordinal);
    }

    internal static async Task AssertJsonRpcErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
        Assert.True(json.RootElement.GetProperty("error").GetProperty("code").GetInt32() < 0);
    }
}

/// <summary>API keys, and no secret in the logs.</summary>
public sealed class McpFleetRequestMiddlewareApiKeyTests
{
    private const string ApiKey = "k3y-THAT-must-never-be-logged-5f1c";
    private const string OtherSecret = "db-password-THAT-must-never-be-logged-9a2e";

    [Fact]
    public async Task ApiKey_MissingOrWrong_401_Right_200_AndNoSecretIsEverLogged()
    {
        await using var server = await ServerProcess.StartAsync("Conformance", new Dictionary<string, string>
        {
            [RuntimeContract.EnvironmentVariables.ApiKeys] = "other-key," + ApiKey,
            ["DATABASE_PASSWORD"] = OtherSecret,
            ["Logging__LogLevel__Default"] = "Trace",
        });
        const string echo = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";

        using (var missing = await server.PostMcpAsync(echo))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        }

        using (var wrong = await server.PostMcpAsync(echo, r => r.Headers.Authorization = new("Bearer", ApiKey + "x")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var right = await server.PostMcpAsync(echo, r => r.Headers.Authorization = new("Bearer", ApiKey)))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        using (var probe = await server.Http.GetAsync(RuntimeContract.ReadyPath, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode); // probes never need the key
        }

        server.Terminate();
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(15)), server.Output);
        Assert.Contains("Rejected an MCP request (unauthorized)", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherSecret, server.Output, StringComparison.Ordinal);
    }


    [Fact]
    public async Task ApiKeys_AtStart_LogsTheirCountNeverTheKeys()
    {
        await using var server = await InProcessServer.StartAsync(configuration: new Dictionary<string, string?> { [RuntimeContract.EnvironmentVariables.ApiKeys] = "other-key," + ApiKey });

        Assert.Contains(server.Logs.Records, r => r.Message == "API keys: 2 configured; /mcp requires Authorization: Bearer <key>");
        Assert.DoesNotContain(server.Logs.Records, r => r.Message.Contains(ApiKey, StringComparison.Ordinal) || r.Message.Contains("other-key", StringComparison.Ordinal));
        using var anonymous = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

/// <summary>Content-Type, messages without a method and Host spellings, in process.</summary>
public sealed class McpFleetRequestMiddlewareInProcessTests
{
    private const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

    [Fact]
    public async Task Mcp_PostWithoutContentType_Gets415NotA500()
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync(ToolsList, r => r.Content!.Headers.ContentType = null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await McpFleetRequestMiddlewareTests.AssertJsonRpcErrorAsync(response);
        Assert.DoesNotContain(server.Logs.Records, r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0"}""")]
    public async Task Mcp_MessageWithoutMethod_GetsInvalidRequestNamingMethod(string body)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync(body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":-32600", text, StringComparison.Ordinal);
        Assert.Contains("has no 'method'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Response must have either result or error", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"\u006dethod":"tools/list"}""")]
    [InlineData("""  {"id":1,"jsonrpc":"2.0","method":"tools/list"}""")]
    public async Task Mcp_RequestWithMethod_IsServedAsBefore(string body)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"echo\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_InvalidJson_StillGetsTheSdkParseError()
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("has no 'method'", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mcp-test.default.svc.cluster.local.", null)]
    [InlineData("mcp-test.default.svc.cluster.local.:8080", "http://mcp-test.default.svc.cluster.local.:8080")]
    [InlineData("localhost.", "http://localhost.:3000")]
    public async Task Mcp_TrailingDotHost_IsTheSameHost(string host, string? origin)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync(ToolsList, r =>
        {
            r.Headers.Host = host;
            if (origin is not null)
            {
                r.Headers.Add("Origin", origin);
            }
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example.com.")]
    [InlineData("mcp-test.default.svc.cluster.local.evil.example.com.")]
    public async Task Mcp_TrailingDotOfAnotherHost_StillGets403(string host)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync(ToolsList, r => r.Headers.Host = host);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
