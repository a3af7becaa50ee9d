using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpFleet.Hosting;

/// <summary>
/// Drops the health-check service's per-probe entry for the library's own <c>draining</c> check while it is unhealthy:
/// ASP.NET Core logs every unhealthy check at Error, so each readiness probe of a drain (several per pod and rollout)
/// would be an Error line for what is the expected shutdown, which the drain's own entry (event 2, "SIGTERM: readiness
/// now 503") already said once. Every other check's entries, and every other event, are kept.
/// </summary>
internal sealed class DrainingCheckLogFilter(ILogger inner) : ILogger
{
    /// <summary>The health-check service's "Health check {HealthCheckName} with status {HealthStatus} completed" event.</summary>
    private const int HealthCheckEnd = 103;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != HealthCheckEnd || !IsDrainingCheck(state))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private static bool IsDrainingCheck<TState>(TState state)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key == "HealthCheckName")
                {
                    return value is string name && name == McpFleetServiceCollectionExtensions.DrainingCheckName;
                }
            }
        }

        return false;
    }
}
