using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpFleet.Hosting;

/// <summary>
/// Drops the Information lines ASP.NET Core writes for every request ("Request starting/finished", "Executing/Executed
/// endpoint") when the request is a probe or a scrape: a kubelet probes <c>/health</c> and <c>/ready</c> and Prometheus
/// scrapes <c>/metrics</c> every few seconds per pod, which is noise in every cluster. Other requests keep their lines;
/// Warning and above are always kept.
/// </summary>
internal sealed class ProbeRequestLogFilter(ILogger inner) : ILogger
{
    /// <summary>The display names <c>MapMcpFleet</c> gives its probe and metrics endpoints.</summary>
    internal const string HealthEndpoint = "McpFleet liveness " + RuntimeContract.HealthPath;

    /// <inheritdoc cref="HealthEndpoint"/>
    internal const string ReadyEndpoint = "McpFleet readiness " + RuntimeContract.ReadyPath;

    /// <inheritdoc cref="HealthEndpoint"/>
    internal const string MetricsEndpoint = "McpFleet metrics " + RuntimeContract.MetricsPath;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel > LogLevel.Information || !IsProbe(state))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private static bool IsProbe<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        // From the end: Path and EndpointName sit behind the numbers (ContentLength, StatusCode), which box when read.
        for (var i = values.Count - 1; i >= 0; i--)
        {
            var (key, value) = values[i];
            switch (key)
            {
                case "Path":
                    return value is string path && IsProbePath(path);
                case "EndpointName":
                    // ASP.NET Core passes the Endpoint itself; its display name is what the line shows.
                    return (value is Endpoint endpoint ? endpoint.DisplayName : value) is HealthEndpoint or ReadyEndpoint or MetricsEndpoint;
            }
        }

        return false;
    }

    private static bool IsProbePath(string path) =>
        IsPath(path, RuntimeContract.HealthPath) || IsPath(path, RuntimeContract.ReadyPath) || IsPath(path, RuntimeContract.MetricsPath);

    private static bool IsPath(string path, string expected) =>
        path.StartsWith(expected, StringComparison.OrdinalIgnoreCase) && (path.Length == expected.Length || (path.Length == expected.Length + 1 && path[^1] == '/'));
}
