using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;

namespace McpFleet.Hosting;

/// <summary>The SDK's Streamable HTTP transport: the session mode, and the session count for the metrics.</summary>
internal sealed class HttpTransportOptionsSetup(IOptions<McpFleetServerOptions> options, McpFleetMetrics metrics) : IConfigureOptions<HttpServerTransportOptions>
{
    public void Configure(HttpServerTransportOptions transport)
    {
        var mode = options.Value.SessionMode ?? McpFleetSessionMode.Stateless;
        transport.SessionMode = mode switch
        {
            McpFleetSessionMode.Stateful => HttpServerSessionMode.Stateful,
            McpFleetSessionMode.StatefulForInitializeClients => HttpServerSessionMode.StatefulForInitializeClients,
            _ => HttpServerSessionMode.Stateless,
        };
        if (mode != McpFleetSessionMode.Stateless)
        {
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the only hook around a session's lifetime.
            transport.RunSessionHandler = async (_, server, cancellationToken) =>
            {
                metrics.SessionOpened();
                try
                {
                    await server.RunAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    metrics.SessionClosed();
                }
            };
#pragma warning restore MCPEXP002
        }
    }
}
