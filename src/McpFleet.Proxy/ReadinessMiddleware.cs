using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpFleet.Proxy;

/// <summary>
/// <c>/ready</c> with the same checks as McpFleet.Hosting's endpoint (every registered check: the drain and the
/// server), but its 503 says why, one reason per failing check, so <c>kubectl describe pod</c> and a person with curl
/// see "the MCP server did not answer initialize within 30 s" instead of "Unhealthy".
/// </summary>
internal sealed class ReadinessMiddleware(RequestDelegate next, HealthCheckService healthChecks)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.Equals(RuntimeContract.ReadyPath, StringComparison.OrdinalIgnoreCase) ? WriteAsync(context) : next(context);

    private async Task WriteAsync(HttpContext context)
    {
        var report = await healthChecks.CheckHealthAsync(context.RequestAborted).ConfigureAwait(false);
        var ready = report.Status == HealthStatus.Healthy;
        var text = new StringBuilder(ready ? "ready" : "not ready");
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                text.Append('\n').Append(name).Append(": ").Append(entry.Description ?? entry.Status.ToString());
            }
        }

        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(text.Append('\n').ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
