using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpFleet.Proxy;

/// <summary>Readiness: healthy only while the server is initialized and answering; otherwise the reason, such as "the MCP server exited with code 1; restart 2 in 2 s".</summary>
internal sealed class UpstreamHealthCheck(ProxyUpstream upstream) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = upstream.State;
        return Task.FromResult(state.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(state.Reason));
    }
}
