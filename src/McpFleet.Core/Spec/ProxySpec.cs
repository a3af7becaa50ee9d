namespace McpFleet.Spec;

/// <summary>How a server speaks MCP (<c>transport</c> in a values file).</summary>
public enum ServerTransport
{
    /// <summary>Streamable HTTP on the server's port: the default.</summary>
    Http,

    /// <summary>stdin/stdout: the server runs as a child of <c>mcpfleet-proxy stdio</c>, which serves the fleet's port.</summary>
    Stdio,
}

/// <summary>
/// The <c>proxy</c> block of a values file: whether <c>mcpfleet-proxy</c> fronts the server, and its limits
/// (docs/proxy.md). <see langword="null"/> keeps the proxy's own default.
/// </summary>
public sealed record ProxySpec
{
    /// <summary>Gets <c>proxy.enabled</c>; unset means on for a stdio server and off for an http one.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Gets the proxy's image (<c>proxy.image</c>); unset means <see cref="FleetDefaults.ProxyImage"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Gets <c>--max-concurrency</c>: requests in flight to the server at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Gets <c>--request-timeout</c>, as written (a duration, <see cref="Durations"/>).</summary>
    public string? RequestTimeout { get; init; }

    /// <summary>Gets <c>--initialize-timeout</c>, as written.</summary>
    public string? InitializeTimeout { get; init; }

    /// <summary>Gets <c>--stop-timeout</c>, as written.</summary>
    public string? StopTimeout { get; init; }

    /// <summary>Gets the port an http server listens on, on localhost, behind the proxy (<c>proxy.upstreamPort</c>).</summary>
    public int? UpstreamPort { get; init; }
}
