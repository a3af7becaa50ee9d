using System.Text.Json.Serialization;

namespace McpFleet.Gateway.Configuration;

/// <summary>
/// The gateway's config file (<c>--config &lt;file&gt;</c>), as the renderer writes it into the gateway's ConfigMap.
/// Durations are strings such as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>. Unknown fields are errors, so a typo
/// is caught at start. See <c>docs/gateway.md</c>.
/// </summary>
public sealed class GatewayConfig
{
    /// <summary>Gets or sets the MCP <c>serverInfo.name</c> the gateway answers with (default <c>mcpfleet-gateway</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the MCP servers the gateway fronts, in the order their tools are listed.</summary>
    public IList<UpstreamConfig>? Upstreams { get; set; }

    /// <summary>Gets or sets the most items one <c>tools/list</c> (and the other lists) page holds (default 100).</summary>
    public int? PageSize { get; set; }

    /// <summary>Gets or sets how often every upstream's lists are read again, besides its <c>list_changed</c> (default <c>60s</c>).</summary>
    public string? CatalogRefresh { get; set; }

    /// <summary>Gets or sets how upstreams are watched and reconnected.</summary>
    public HealthConfig? Health { get; set; }

    /// <summary>Gets or sets where the session key comes from; without one the gateway is stateless.</summary>
    public SessionsConfig? Sessions { get; set; }

    /// <summary>Gets or sets who may call the gateway; without it every caller is anonymous and may call every tool.</summary>
    public AuthConfig? Auth { get; set; }

    /// <summary>Gets or sets the rate limit of a caller that has none of its own.</summary>
    public RateLimitConfig? RateLimit { get; set; }

    /// <summary>
    /// Gets or sets whether calls outside a gateway session are POSTed straight to their upstream, without the SDK's
    /// per-request server (default <see langword="true"/>; <see langword="false"/> sends every call through the SDK).
    /// </summary>
    public bool? FastPath { get; set; }
}

/// <summary>One fronted MCP server.</summary>
public sealed class UpstreamConfig
{
    /// <summary>Gets or sets the server's name (DNS-1123 label), used in tool names, metrics and errors.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the server's Streamable HTTP endpoint, e.g. <c>http://mcp-notes:8080/mcp</c>.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// Gets or sets the prefix of its tool and prompt names (<c>&lt;prefix&gt;_&lt;tool&gt;</c>) and resource URIs
    /// (<c>&lt;prefix&gt;+&lt;uri&gt;</c>); default the name, empty for none.
    /// </summary>
    public string? Prefix { get; set; }

    /// <summary>Gets or sets how long one request to it may take (default <c>60s</c>); past it the call is cancelled there.</summary>
    public string? Timeout { get; set; }

    /// <summary>Gets or sets globs of its own tool names that are exposed (default all).</summary>
    public IList<string>? Tools { get; set; }

    /// <summary>Gets or sets whether it keeps state per MCP session: each gateway session then gets a session of its own there (needs a session key).</summary>
    public bool? Stateful { get; set; }
}

/// <summary>How upstreams are watched and reconnected.</summary>
public sealed class HealthConfig
{
    /// <summary>Gets or sets how long an upstream may be quiet before it is pinged (default <c>5s</c>).</summary>
    public string? PingInterval { get; set; }

    /// <summary>Gets or sets how long a ping may take (default <c>2s</c>); three unanswered in a row mark the upstream down.</summary>
    public string? PingTimeout { get; set; }

    /// <summary>Gets or sets the longest wait between reconnect attempts (default <c>5s</c>; the first is 500 ms, doubling).</summary>
    public string? MaxBackoff { get; set; }
}

/// <summary>The key that seals session ids. Exactly one source.</summary>
public sealed class SessionsConfig
{
    /// <summary>Gets or sets a file holding the key: 32 bytes, base64 (a mounted Secret).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Gets or sets an environment variable holding the key, base64.</summary>
    public string? KeyEnv { get; set; }

    /// <summary>Gets or sets how long a session id stays valid after it was issued (default <c>24h</c>).</summary>
    public string? Lifetime { get; set; }
}

/// <summary>Callers and how they prove who they are.</summary>
public sealed class AuthConfig
{
    /// <summary>Gets or sets the known callers: their API key (hashed) and their tool allow-list and rate limit.</summary>
    public IList<CallerConfig>? Callers { get; set; }

    /// <summary>Gets or sets how JWT bearer tokens are validated; a token's caller is its <see cref="JwtConfig.CallerClaim"/>.</summary>
    public JwtConfig? Jwt { get; set; }

    /// <summary>Gets or sets the tool globs of a JWT caller that is not in <see cref="Callers"/> (default all).</summary>
    public IList<string>? DefaultTools { get; set; }
}

/// <summary>One known caller.</summary>
public sealed class CallerConfig
{
    /// <summary>Gets or sets the caller's name (metrics label; for a JWT caller, the value of its caller claim).</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the SHA-256 of its API key, 64 hex digits (so the ConfigMap holds no secret).</summary>
    public string? ApiKeySha256 { get; set; }

    /// <summary>Gets or sets an environment variable that holds its API key (hashed at start, never kept).</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Gets or sets a file that holds its API key (hashed at start, never kept).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Gets or sets globs of gateway tool names it may list and call (default all).</summary>
    public IList<string>? Tools { get; set; }

    /// <summary>Gets or sets its rate limit (default the top-level one).</summary>
    public RateLimitConfig? RateLimit { get; set; }
}

/// <summary>JWT bearer validation.</summary>
public sealed class JwtConfig
{
    /// <summary>Gets or sets the required <c>iss</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the required <c>aud</c> (one of the token's audiences).</summary>
    public string? Audience { get; set; }

    /// <summary>Gets or sets a JWKS file with the signing keys.</summary>
    public string? JwksFile { get; set; }

    /// <summary>Gets or sets a JWKS URL with the signing keys (read at start, again every hour and on an unknown <c>kid</c>).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Gets or sets the claim that names the caller (default <c>sub</c>).</summary>
    public string? CallerClaim { get; set; }

    /// <summary>Gets or sets this gateway's resource identifier in the OAuth protected-resource metadata (default the audience).</summary>
    public string? Resource { get; set; }
}

/// <summary>A token bucket per caller.</summary>
public sealed class RateLimitConfig
{
    /// <summary>Gets or sets the sustained rate of MCP requests per second.</summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>Gets or sets how many requests may come at once above the rate (default twice the rate, at least 1).</summary>
    public int? Burst { get; set; }
}

/// <summary>Source-generated JSON for the config file: camelCase, comments and trailing commas allowed, unknown fields refused.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GatewayConfig))]
public sealed partial class GatewayConfigJsonContext : JsonSerializerContext;
