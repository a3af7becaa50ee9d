using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace McpFleet.Hosting;

/// <summary>
/// Decorates the host's <see cref="ILoggerFactory"/>, so that every provider (the JSON console, an exporter a server
/// adds) is spared three kinds of noise: the Information lines of probe and metrics requests
/// (<see cref="ProbeRequestLogFilter"/>), the SDK's own entries for a client's mistake
/// (<see cref="SdkClientErrorLogFilter"/>), and an Error line per readiness probe during a drain
/// (<see cref="DrainingCheckLogFilter"/>). Loggers of every other category are the inner factory's, untouched.
/// </summary>
internal sealed class McpFleetLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string RequestCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string EndpointCategory = "Microsoft.AspNetCore.Routing.EndpointMiddleware";
    private const string SdkServerCategory = "ModelContextProtocol.Server.McpServer";
    private const string HealthChecksCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    // Stateless servers create their SDK logger per request: the wrapper is made once per category, not per call.
    private readonly ConcurrentDictionary<string, ILogger> _filtered = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => categoryName switch
    {
        RequestCategory or EndpointCategory => _filtered.GetOrAdd(categoryName, static (c, f) => new ProbeRequestLogFilter(f.CreateLogger(c)), inner),
        SdkServerCategory => _filtered.GetOrAdd(categoryName, static (c, f) => new SdkClientErrorLogFilter(f.CreateLogger(c)), inner),
        HealthChecksCategory => _filtered.GetOrAdd(categoryName, static (c, f) => new DrainingCheckLogFilter(f.CreateLogger(c)), inner),
        _ => inner.CreateLogger(categoryName),
    };

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
