using McpFleet.Upstreams;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// Launches an upstream's shared connection (by the launcher it wraps) and remembers the link, so the gateway knows
/// whether that connection holds a session at the upstream (<see cref="ITransport.SessionId"/>, set by the SDK's client
/// from the <c>initialize</c> answer's <c>Mcp-Session-Id</c>).
/// </summary>
/// <param name="inner">The launcher that connects.</param>
internal sealed class SharedLinkLauncher(IUpstreamLauncher inner) : IUpstreamLauncher
{
    private volatile UpstreamLink? _link;

    /// <inheritdoc />
    public string Description => inner.Description;

    /// <summary>Gets the session id of the current shared connection at the upstream, or null (none, or not connected).</summary>
    public string? SessionId => _link?.Transport.SessionId;

    /// <inheritdoc />
    public async Task<UpstreamLink> LaunchAsync(CancellationToken cancellationToken)
    {
        var link = await inner.LaunchAsync(cancellationToken).ConfigureAwait(false);
        _link = link;
        return link;
    }
}
