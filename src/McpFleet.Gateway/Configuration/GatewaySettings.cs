using System.Collections.Frozen;

namespace McpFleet.Gateway.Configuration;

/// <summary>The gateway's config after validation: every default filled in, every duration parsed, every key hashed.</summary>
/// <param name="Name">The MCP <c>serverInfo.name</c>.</param>
/// <param name="Upstreams">The fronted servers, in list order.</param>
/// <param name="PageSize">Items per list page.</param>
/// <param name="CatalogRefresh">How often every list is read again.</param>
/// <param name="PingInterval">Quiet time before a ping.</param>
/// <param name="PingTimeout">How long a ping may take.</param>
/// <param name="MaxBackoff">The longest wait between reconnects.</param>
/// <param name="SessionKey">The AES-256 key that seals session ids, or null (stateless).</param>
/// <param name="SessionLifetime">How long a session id stays valid.</param>
/// <param name="Auth">Callers, or null (every caller anonymous).</param>
/// <param name="DefaultRateLimit">The rate limit of callers without one, or null (none).</param>
/// <param name="FastPath">Whether calls outside a gateway session skip the SDK's per-request server.</param>
internal sealed record GatewaySettings(
    string Name,
    IReadOnlyList<UpstreamSettings> Upstreams,
    int PageSize,
    TimeSpan CatalogRefresh,
    TimeSpan PingInterval,
    TimeSpan PingTimeout,
    TimeSpan MaxBackoff,
    byte[]? SessionKey,
    TimeSpan SessionLifetime,
    AuthSettings? Auth,
    RateLimitSettings? DefaultRateLimit,
    bool FastPath = true);

/// <summary>One fronted server.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Url">Its MCP endpoint.</param>
/// <param name="Prefix">Its name prefix, empty for none.</param>
/// <param name="Timeout">The bound of one request.</param>
/// <param name="Tools">Which of its tools are exposed.</param>
/// <param name="Stateful">Whether each gateway session gets a session of its own there.</param>
internal sealed record UpstreamSettings(string Name, Uri Url, string Prefix, TimeSpan Timeout, GlobSet Tools, bool Stateful);

/// <summary>Callers.</summary>
/// <param name="Callers">The known callers by name.</param>
/// <param name="ApiKeys">SHA-256 of each API key, and whose it is.</param>
/// <param name="Jwt">JWT validation, or null.</param>
/// <param name="DefaultTools">Tools of a JWT caller that is not known.</param>
internal sealed record AuthSettings(FrozenDictionary<string, CallerSettings> Callers, IReadOnlyList<(byte[] Hash, CallerSettings Caller)> ApiKeys, JwtSettings? Jwt, GlobSet DefaultTools)
{
    /// <summary>Gets the hashes of <see cref="ApiKeys"/>, in the same order.</summary>
    public byte[][] ApiKeyHashes { get; } = [.. ApiKeys.Select(static k => k.Hash)];
}

/// <summary>A known caller.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Tools">The gateway tool names it may list and call.</param>
/// <param name="RateLimit">Its rate limit, or null for the default.</param>
internal sealed record CallerSettings(string Name, GlobSet Tools, RateLimitSettings? RateLimit);

/// <summary>JWT validation.</summary>
/// <param name="Issuer">The required issuer.</param>
/// <param name="Audience">The required audience.</param>
/// <param name="JwksFile">The JWKS file, or null.</param>
/// <param name="JwksUrl">The JWKS URL, or null.</param>
/// <param name="CallerClaim">The claim naming the caller.</param>
/// <param name="Resource">The protected resource's identifier.</param>
internal sealed record JwtSettings(string Issuer, string Audience, string? JwksFile, Uri? JwksUrl, string CallerClaim, string Resource);

/// <summary>A token bucket.</summary>
/// <param name="RequestsPerSecond">The sustained rate.</param>
/// <param name="Burst">The bucket's size.</param>
internal sealed record RateLimitSettings(double RequestsPerSecond, int Burst);
