using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams;

/// <summary>Starts the upstream MCP server (or connects to it) each time <see cref="Upstream"/> needs a new link.</summary>
public interface IUpstreamLauncher
{
    /// <summary>Gets what is started, for logs and <c>/ready</c> (the command, or the URL).</summary>
    string Description { get; }

    /// <summary>Starts the server (or connects) and returns the link to it.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The link.</returns>
    Task<UpstreamLink> LaunchAsync(CancellationToken cancellationToken);
}
