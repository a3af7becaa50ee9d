using McpFleet.Upstreams;

namespace McpFleet.Proxy;

/// <summary>
/// The proxy's limits, bound from configuration section <see cref="SectionName"/> (so env
/// <c>McpFleet__Proxy__MaxConcurrency=32</c> works, as the renderer will set them) and overridden by command-line options.
/// The server's timeouts and back-off (<see cref="UpstreamOptions"/>) bind from the same section.
/// </summary>
internal sealed class ProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "McpFleet:Proxy";

    /// <summary>Gets or sets how many requests may wait for the server at once; more get 503 with <c>Retry-After</c>.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Gets or sets the bound of one request; past it the request is cancelled in the server and the client gets an error.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Gets or sets whether a stateless proxy answers the requests it forwards itself instead of through the SDK's
    /// per-request server (the same JSON, several times the throughput; docs/proxy.md). Off only to compare the two.
    /// </summary>
    public bool FastPath { get; set; } = true;

    /// <summary>Gets or sets the <c>Retry-After</c> of a 503.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
