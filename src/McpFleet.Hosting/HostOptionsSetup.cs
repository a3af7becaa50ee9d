using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>The host's shutdown bound: the drain delay runs inside the host's stop sequence, so the bound covers both stages.</summary>
internal sealed class HostOptionsSetup(IOptions<McpFleetServerOptions> options) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions host)
    {
        if (McpFleetServerOptionsValidator.TryGetValid(options) is { } o)
        {
            host.ShutdownTimeout = o.DrainDelay + o.ShutdownTimeout;
        }
    }
}
