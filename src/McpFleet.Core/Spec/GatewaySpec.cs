namespace McpFleet.Spec;

/// <summary>
/// The <c>gateway</c> block of <c>fleet.yaml</c>: one <c>mcpfleet-gateway</c> Deployment in front of the fleet's
/// servers (docs/gateway.md, "In the fleet"). Its fields map onto the gateway's config file (docs/gateway.md, "Config").
/// </summary>
public sealed record GatewaySpec
{
    /// <summary>Gets whether the gateway is rendered (default <see langword="true"/> when the block is present).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the MCP <c>serverInfo.name</c> the gateway answers with (the config's <c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Gets a full image reference; default <see cref="FleetDefaults.GatewayImage"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Gets the gateway's MCP port; default <see cref="FleetDefaults.GatewayPort"/> (the highest free port of the range).</summary>
    public int? Port { get; init; }

    /// <summary>Gets the replica count without autoscaling; default <see cref="FleetDefaults.Replicas"/>.</summary>
    public int? Replicas { get; init; }

    /// <summary>Gets the HPA, or <see langword="null"/> for a fixed replica count.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>Gets the resources; default <see cref="FleetDefaults.GatewayResources"/>.</summary>
    public ResourcesSpec? Resources { get; init; }

    /// <summary>Gets the servers it fronts, in the order their tools are listed; <see langword="null"/> for every server in phase order.</summary>
    public IReadOnlyList<GatewayServerSpec>? Servers { get; init; }

    /// <summary>Gets the secret store key of the 32-byte base64 session key, or <see langword="null"/> for a stateless gateway.</summary>
    public string? SessionKey { get; init; }

    /// <summary>Gets who may call the gateway; <see langword="null"/> for anonymous callers.</summary>
    public GatewayAuthSpec? Auth { get; init; }

    /// <summary>Gets the rate limit of a caller without its own.</summary>
    public GatewayRateLimitSpec? RateLimit { get; init; }
}

/// <summary>One fronted server (the config's <c>upstreams[]</c>).</summary>
/// <param name="Name">The server's name in the fleet.</param>
/// <param name="Prefix">The prefix of its tool names; <see langword="null"/> for its name, empty for none.</param>
/// <param name="Tools">Globs of its own tool names that are exposed; <see langword="null"/> for all.</param>
/// <param name="Timeout">How long one request to it may take, e.g. <c>30s</c>; <see langword="null"/> for the gateway's default.</param>
public sealed record GatewayServerSpec(string Name, string? Prefix = null, IReadOnlyList<string>? Tools = null, string? Timeout = null);

/// <summary>The gateway's callers and how they prove who they are (the config's <c>auth</c>).</summary>
public sealed record GatewayAuthSpec
{
    /// <summary>Gets the known callers.</summary>
    public IReadOnlyList<GatewayCallerSpec> Callers { get; init; } = [];

    /// <summary>Gets the JWT validation, or <see langword="null"/> for API keys only.</summary>
    public GatewayJwtSpec? Jwt { get; init; }

    /// <summary>Gets the tool globs of a JWT caller that is not in <see cref="Callers"/>; <see langword="null"/> for all.</summary>
    public IReadOnlyList<string>? DefaultTools { get; init; }
}

/// <summary>One known caller.</summary>
/// <param name="Name">Its name (metrics label; for a JWT caller, the value of its caller claim).</param>
/// <param name="ApiKey">The secret store key of its API key, or <see langword="null"/> for a JWT-only caller.</param>
/// <param name="Tools">Globs of gateway tool names it may list and call; <see langword="null"/> for all.</param>
/// <param name="RateLimit">Its own rate limit, or <see langword="null"/> for the gateway's.</param>
public sealed record GatewayCallerSpec(string Name, string? ApiKey, IReadOnlyList<string>? Tools = null, GatewayRateLimitSpec? RateLimit = null)
{
    /// <summary>Gets the env var of the gateway pod that carries its API key: <c>MCPFLEET_GATEWAY_API_KEY_&lt;NAME&gt;</c>.</summary>
    public string ApiKeyVariable => "MCPFLEET_GATEWAY_API_KEY_" + string.Concat(Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
}

/// <summary>JWT bearer validation.</summary>
/// <param name="Issuer">The required <c>iss</c>.</param>
/// <param name="Audience">The required <c>aud</c>.</param>
/// <param name="JwksUrl">The https URL of the signing keys.</param>
/// <param name="CallerClaim">The claim that names the caller; <see langword="null"/> for <c>sub</c>.</param>
/// <param name="Resource">The resource identifier in the protected-resource metadata; <see langword="null"/> for the audience.</param>
public sealed record GatewayJwtSpec(string Issuer, string Audience, string JwksUrl, string? CallerClaim = null, string? Resource = null);

/// <summary>A token bucket per caller.</summary>
/// <param name="RequestsPerSecond">The sustained rate.</param>
/// <param name="Burst">How many may come at once above it; <see langword="null"/> for twice the rate.</param>
public sealed record GatewayRateLimitSpec(double RequestsPerSecond, int? Burst = null);
