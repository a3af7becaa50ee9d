using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace McpFleet.Upstreams.Http;

/// <summary>
/// Connects to an MCP server that listens on Streamable HTTP (normally on localhost in the same pod) with the SDK's
/// client transport. Each "start" is a new connection (a new MCP session where the server keeps sessions).
/// </summary>
/// <param name="endpoint">The server's MCP endpoint.</param>
/// <param name="httpClient">The client that carries the requests (not disposed here).</param>
/// <param name="loggerFactory">The logger factory.</param>
public sealed class HttpLauncher(Uri endpoint, HttpClient httpClient, ILoggerFactory loggerFactory) : IUpstreamLauncher
{
    /// <inheritdoc />
    public string Description => endpoint.ToString();

    /// <inheritdoc />
    public async Task<UpstreamLink> LaunchAsync(CancellationToken cancellationToken)
    {
        var client = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "mcp-upstream" },
            httpClient,
            loggerFactory,
            ownsHttpClient: false);
        var transport = await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var ended = EndedAsync(transport.MessageReader.Completion);
        return new UpstreamLink(transport, ended, async (_, _) => await transport.DisposeAsync().ConfigureAwait(false), static () => null);
    }

    private async Task<string> EndedAsync(Task completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
            return $"the connection to {endpoint} closed";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the connection to {endpoint} failed: {ex.Message}";
        }
    }
}
