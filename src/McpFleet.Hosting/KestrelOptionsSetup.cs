using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>Kestrel on the MCP and metrics ports, with the body limit and no <c>Server</c> header.</summary>
internal sealed class KestrelOptionsSetup(IOptions<McpFleetServerOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        if (McpFleetServerOptionsValidator.TryGetValid(options) is not { } o)
        {
            return;
        }

        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = o.MaxRequestBodyBytes;
        foreach (var port in (ReadOnlySpan<int>)[o.Port, o.MetricsPort])
        {
            if (o.BindAddress is { Length: > 0 } address)
            {
                kestrel.Listen(IPAddress.Parse(address), port);
            }
            else
            {
                kestrel.ListenAnyIP(port);
            }
        }
    }
}
