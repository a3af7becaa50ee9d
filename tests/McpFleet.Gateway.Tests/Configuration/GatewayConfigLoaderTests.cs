using System.Text.Json.Nodes;
using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Configuration;

/// <summary>The config file: defaults, and every mistake as one line naming the field.</summary>
public sealed class GatewayConfigLoaderTests
{
    private static readonly Dictionary<string, string> s_env = new() { ["KEY_ENV"] = Convert.ToBase64String(new byte[32]), ["SHORT_KEY"] = "short" };

    [Fact]
    public void Load_MinimalConfig_FillsDefaults()
    {
        var settings = Load("""{"upstreams": [{"name": "notes", "url": "http://mcp-notes:8080/mcp"}]}""");
        var upstream = Assert.Single(settings.Upstreams);
        Assert.Equal("notes", upstream.Prefix);
        Assert.Equal(TimeSpan.FromSeconds(60), upstream.Timeout);
        Assert.True(upstream.Tools.MatchesAll);
        Assert.False(upstream.Stateful);
        Assert.Equal("mcpfleet-gateway", settings.Name);
        Assert.Equal(100, settings.PageSize);
        Assert.Null(settings.SessionKey);
        Assert.Null(settings.Auth);
    }

    [Fact]
    public void Load_FullConfig_ParsesEveryField()
    {
        var settings = Load("""
            {
              // comments and trailing commas are fine
              "name": "fleet-gateway",
              "upstreams": [
                {"name": "github", "url": "https://mcp-github:9002/mcp", "prefix": "gh", "timeout": "500ms", "tools": ["search_*"], "stateful": true},
              ],
              "pageSize": 50,
              "catalogRefresh": "2m",
              "health": {"pingInterval": "3s", "pingTimeout": "1s", "maxBackoff": "10s"},
              "sessions": {"keyEnv": "KEY_ENV", "lifetime": "1h"},
              "auth": {"callers": [{"name": "agent", "apiKeySha256": "0000000000000000000000000000000000000000000000000000000000000000", "tools": ["gh_*"], "rateLimit": {"requestsPerSecond": 5}}]},
              "rateLimit": {"requestsPerSecond": 50, "burst": 80}
            }
            """);
        var upstream = Assert.Single(settings.Upstreams);
        Assert.Equal(("gh", TimeSpan.FromMilliseconds(500), true), (upstream.Prefix, upstream.Timeout, upstream.Stateful));
        Assert.True(upstream.Tools.Matches("search_code"));
        Assert.False(upstream.Tools.Matches("create_issue"));
        Assert.Equal((50, TimeSpan.FromMinutes(2), TimeSpan.FromHours(1)), (settings.PageSize, settings.CatalogRefresh, settings.SessionLifetime));
        Assert.Equal(32, settings.SessionKey!.Length);
        var caller = settings.Auth!.Callers["agent"];
        Assert.Equal(new RateLimitSettings(5, 10), caller.RateLimit);
        Assert.Equal(new RateLimitSettings(50, 80), settings.DefaultRateLimit);
    }

    [Theory]
    [InlineData("""{"upstreams": []}""", "upstreams: at least one upstream is required")]
    [InlineData("""{"upstreams": [{"name": "Notes", "url": "http://x/mcp"}]}""", "upstreams[0].name: 'Notes' is not a DNS-1123 label")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}, {"name": "a", "url": "http://y/mcp"}]}""", "upstreams[1].name: 'a' is used twice")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "mcp-a:8080"}]}""", "upstreams[0].url: 'mcp-a:8080' is not an absolute http(s) URL")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp", "timeout": "soon"}]}""", "upstreams[0].timeout: 'soon' is not a duration")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp", "prefix": "a_b"}]}""", "upstreams[0].prefix: 'a_b' may hold only")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}, {"name": "b", "url": "http://y/mcp", "prefix": "a"}]}""", "upstreams[1].prefix: 'a' is already the prefix of upstreams 'a'")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp", "stateful": true}]}""", "upstreams[0].stateful: a stateful upstream needs a session key")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "pageSize": 0}""", "pageSize: 0 is not between 1 and 10000")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "sessions": {"keyEnv": "NOT_SET"}}""", "sessions.keyEnv: environment variable NOT_SET is not set")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "sessions": {"keyEnv": "SHORT_KEY"}}""", "sessions.keyEnv: the key is not 32 bytes in base64")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "auth": {"callers": [{"name": "x"}]}}""", "auth: no caller has an API key and there is no jwt")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "auth": {"callers": [{"name": "x", "apiKeySha256": "abc"}]}}""", "auth.callers[0].apiKeySha256: is not 64 hex digits")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "auth": {"callers": [{"name": "x", "apiKeyEnv": "SHORT_KEY"}]}}""", "auth.callers[0]: the API key is shorter than 16 characters")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "auth": {"jwt": {"issuer": "i", "audience": "a"}}}""", "auth.jwt: set exactly one of jwksFile and jwksUrl")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "auth": {"jwt": {"audience": "a", "jwksUrl": "https://idp/jwks"}}}""", "auth.jwt.issuer: is required")]
    [InlineData("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "rateLimit": {"requestsPerSecond": 0}}""", "rateLimit.requestsPerSecond: must be a number above 0")]
    public void Validate_BadField_OneLineNamingIt(string json, string expected)
    {
        var ex = Assert.Throws<GatewayConfigException>(() => Load(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("gateway.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"upstreams\": [\n    {\"name\": \"a\", \"url\": \"http://x/mcp\", \"timout\": \"5s\"}\n  ]\n}", ":3:", "upstreams[0].timout: unknown field 'timout'")]
    [InlineData("{\n  \"upstreams\": {\"name\": \"a\"}\n}", ":2:", "upstreams: has the wrong type")]
    [InlineData("{\n  \"upstreams\": [\n", ":", "invalid JSON")]
    public void Load_BadJson_NamesFileLineColumnAndField(string json, string where, string expected)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "gateway.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Load(path, s_env.GetValueOrDefault));
        Assert.StartsWith(path + where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Load_SecretsFromEnv_NeverInAMessage()
    {
        var env = new Dictionary<string, string> { ["KEY"] = "secret-value-that-is-not-base64!!" };
        var ex = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Validate(
            Parse("""{"upstreams": [{"name": "a", "url": "http://x/mcp"}], "sessions": {"keyEnv": "KEY"}}"""), "gateway.json", env.GetValueOrDefault));
        Assert.DoesNotContain("secret-value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("1.5", 1.5)]
    public void TryParseDuration_Units_Parsed(string text, double seconds)
    {
        Assert.True(GatewayConfigLoader.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public async Task Main_InvalidConfig_OneLineOnStderrExit2()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "gateway.json");
        await File.WriteAllTextAsync(path, """{"upstreams": [{"name": "a", "url": "nope"}]}""", TestContext.Current.CancellationToken);
        var result = await ExternalTools.RunAsync(Binaries.Gateway, ["--config", path]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"mcpfleet-gateway: invalid config: {path}: upstreams[0].url: 'nope' is not an absolute http(s) URL", result.StandardError.Trim());
        Assert.Equal(string.Empty, result.StandardOutput);

        var missing = await ExternalTools.RunAsync(Binaries.Gateway, []);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("mcpfleet-gateway: --config <file> is required", missing.StandardError.Trim());
    }

    [Fact]
    public void Load_ConfigRenderedForExampleFleet_IsAcceptedWithItsKeysFromTheEnvironment()
    {
        // The renderer's golden gateway.json of examples/sophia-ai-gateway (McpFleet.Core cannot reference the gateway).
        var path = Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Core.Tests", "Rendering", "Snapshots", "sophia-ai-gateway", "gateway.json");
        var env = new Dictionary<string, string>
        {
            ["MCPFLEET_GATEWAY_SESSION_KEY"] = Convert.ToBase64String(new byte[32]),
            ["MCPFLEET_GATEWAY_API_KEY_SOPHIA_BACKEND"] = "a-key-of-the-backend-0123456789",
        };

        var settings = GatewayConfigLoader.Load(path, env.GetValueOrDefault);

        Assert.Equal("sophia-gateway", settings.Name);
        Assert.Equal(16, settings.Upstreams.Count);
        Assert.Equal("pg", settings.Upstreams.Single(u => u.Name == "postgres").Prefix);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Upstreams.Single(u => u.Name == "github").Timeout);
        Assert.Equal(["ui-ux-agent"], settings.Upstreams.Where(u => u.Stateful).Select(u => u.Name));
        Assert.NotNull(settings.SessionKey);
        Assert.Equal("sophia-backend", Assert.Single(settings.Auth!.ApiKeys).Caller.Name);
        Assert.NotNull(settings.Auth.Jwt);
    }

    private static GatewaySettings Load(string json) => GatewayConfigLoader.Validate(Parse(json), "gateway.json", s_env.GetValueOrDefault);

    private static GatewayConfig Parse(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, GatewayConfigJsonContext.Default.GatewayConfig)!;
}
