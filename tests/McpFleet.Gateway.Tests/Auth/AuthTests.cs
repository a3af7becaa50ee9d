using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Tests.Auth;

/// <summary>Callers by API key or JWT, their tool allow-lists and rate limits, against a real gateway process.</summary>
public sealed class AuthTests
{
    private const string OpsKey = "ops-key-0123456789abcdef";
    private const string LimitedKey = "limited-key-0123456789abcdef";
    private const string ListTools = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

    [Fact]
    public async Task Authenticate_NoKeyWrongKeyWrongAudience_401_ValidKeyAndToken_Served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tokens = new TestTokens();
        await using var upstream = await LoopbackFleet.StartConformance("conformance").WaitReadyAsync();
        await using var gateway = await StartAsync(upstream, tokens);

        using (var none = await gateway.PostMcpAsync(ListTools, cancellationToken: ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("resource_metadata=", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        foreach (var (credential, why) in new[]
        {
            ("wrong-key-0123456789abcdef", "the API key is not valid"),
            (tokens.Token("alice", audience: "someone-else"), "wrong audience"),
            (tokens.Token("alice", issuer: "https://evil.test"), "wrong issuer"),
            (tokens.Token("alice", expiresIn: TimeSpan.FromMinutes(-10)), "expired"),
            (tokens.Token("alice", alg: "none"), "not accepted"),
            (ForgedToken(tokens), "does not match"),
        })
        {
            using var refused = await gateway.PostMcpAsync(ListTools, Bearer(credential), ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(why, await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var key = await gateway.PostMcpAsync(ListTools, Bearer(OpsKey), ct))
        {
            Assert.Equal(HttpStatusCode.OK, key.StatusCode);
            Assert.Contains("conformance_echo", await key.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        await using var jwtClient = await gateway.ConnectAsync(bearer: tokens.Token("alice"));
        var echo = await jwtClient.CallToolAsync("conformance_echo", new Dictionary<string, object?> { ["message"] = "jwt" }, cancellationToken: ct);
        Assert.Equal("jwt", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);

        // OAuth protected-resource metadata (RFC 9728), served without credentials.
        var metadata = JsonNode.Parse(await gateway.Http.GetStringAsync("/.well-known/oauth-protected-resource", ct))!;
        Assert.Equal(TestTokens.Audience, (string?)metadata["resource"]);
        Assert.Equal(TestTokens.Issuer, (string?)metadata["authorization_servers"]![0]);
    }

    [Fact]
    public async Task ToolAllowList_ToolOutsideIt_NeitherListedNorCallable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tokens = new TestTokens();
        await using var upstream = await LoopbackFleet.StartConformance("conformance").WaitReadyAsync();
        await using var gateway = await StartAsync(upstream, tokens);

        await using var limited = await gateway.ConnectAsync(bearer: LimitedKey);
        var names = (await limited.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).ToList();
        Assert.Equal(["conformance_echo"], names);
        var refused = await Assert.ThrowsAsync<McpProtocolException>(async () => await limited.CallToolAsync("conformance_test_simple_text", cancellationToken: ct));
        Assert.Contains("Unknown tool", refused.Message, StringComparison.Ordinal);
        Assert.Equal("ok", Assert.IsType<TextContentBlock>(Assert.Single((await limited.CallToolAsync("conformance_echo", new Dictionary<string, object?> { ["message"] = "ok" }, cancellationToken: ct)).Content)).Text);

        // The JWT caller "limited" gets the same policy as the key of that name; an unlisted subject gets defaultTools.
        await using var jwtLimited = await gateway.ConnectAsync(bearer: tokens.Token("limited"));
        Assert.Equal(["conformance_echo"], (await jwtLimited.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name));
        await using var ops = await gateway.ConnectAsync(bearer: OpsKey);
        Assert.True((await ops.ListToolsAsync(cancellationToken: ct)).Count > 5);

        var metrics = await gateway.Process.MetricsAsync();
        Assert.Contains("reason=\"tool_not_allowed\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_CallerOverItsBucket_429WithRetryAfterOthersUnaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tokens = new TestTokens();
        await using var upstream = await LoopbackFleet.StartConformance("conformance").WaitReadyAsync();
        await using var gateway = await StartAsync(upstream, tokens, rateLimited: true);

        // "limited" may send 0.2 requests a second with a burst of 3.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await gateway.PostMcpAsync(ListTools, Bearer(LimitedKey), ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            Assert.Contains("rate limit", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using var other = await gateway.PostMcpAsync(ListTools, Bearer(OpsKey), ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private static async Task<GatewayProcess> StartAsync(ServiceProcess upstream, TestTokens tokens, bool rateLimited = false)
    {
        var directory = Directory.CreateTempSubdirectory("mcpfleet-gateway-jwks-").FullName;
        var jwks = Path.Combine(directory, "jwks.json");
        await File.WriteAllTextAsync(jwks, tokens.Jwks());
        var gateway = await GatewayProcess.StartAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "conformance", ["url"] = upstream.McpUrl.ToString() }),
                ["auth"] = new JsonObject
                {
                    ["callers"] = new JsonArray(
                        new JsonObject { ["name"] = "ops", ["apiKeySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OpsKey))) },
                        new JsonObject
                        {
                            ["name"] = "limited",
                            ["apiKeyEnv"] = "LIMITED_KEY",
                            ["tools"] = new JsonArray("conformance_echo"),
                            ["rateLimit"] = rateLimited ? new JsonObject { ["requestsPerSecond"] = 0.2, ["burst"] = 3 } : null,
                        }),
                    ["jwt"] = new JsonObject { ["issuer"] = TestTokens.Issuer, ["audience"] = TestTokens.Audience, ["jwksFile"] = jwks },
                },
            },
            new Dictionary<string, string> { ["LIMITED_KEY"] = LimitedKey });
        await gateway.WaitForUpstreamAsync("conformance", "up", bearer: OpsKey);
        return gateway;
    }

    private static string ForgedToken(TestTokens tokens)
    {
        using var other = new TestTokens();
        return other.Token("alice");
    }

    private static Action<HttpRequestMessage> Bearer(string credential) => r => r.Headers.Authorization = new("Bearer", credential);
}
