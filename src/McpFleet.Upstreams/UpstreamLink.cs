using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>A started upstream: the transport to it, and how it ends.</summary>
/// <param name="transport">The connected transport.</param>
/// <param name="ended">Completes with a reason when the server is gone (e.g. "the MCP server exited with code 1").</param>
/// <param name="stop">Stops the server within a bound (stdin closed, SIGTERM, SIGKILL).</param>
/// <param name="diagnostics">Returns what the server last said that may explain a failure (stderr, a non-JSON stdout line), or null.</param>
public sealed class UpstreamLink(ITransport transport, Task<string> ended, Func<TimeSpan, CancellationToken, Task> stop, Func<string?> diagnostics)
{
    /// <summary>Gets the transport.</summary>
    public ITransport Transport => transport;

    /// <summary>Gets a task that completes with a reason when the server is gone.</summary>
    public Task<string> Ended => ended;

    /// <summary>Stops the server; <paramref name="grace"/> bounds it.</summary>
    /// <param name="grace">The bound.</param>
    /// <param name="cancellationToken">Skips to the end of the bound.</param>
    /// <returns>A task.</returns>
    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken) => stop(grace, cancellationToken);

    /// <summary>Gets what the server last said that may explain a failure, or null.</summary>
    /// <returns>A short text.</returns>
    public string? Diagnostics() => diagnostics();
}
