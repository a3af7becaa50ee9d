using McpFleet.Hosting;
using Microsoft.Extensions.Options;

namespace McpFleet.Proxy;

/// <summary>
/// Without a <c>server-config.json</c> (a local run: <c>mcpfleet-proxy stdio -- npx …</c>) the proxy still starts, as
/// <c>mcpfleet-proxy</c> 0.0.0 unless <c>--name</c> says otherwise. With a config file present, Hosting's validation
/// stays in charge, so a file that lacks <c>name</c> is still an error. Runs after Hosting's own post-configuration.
/// </summary>
internal sealed class ProxyServerDefaults : IPostConfigureOptions<McpFleetServerOptions>
{
    public const string DefaultName = "mcpfleet-proxy";

    public void PostConfigure(string? name, McpFleetServerOptions options)
    {
        if (options.ConfigPath is { } path && File.Exists(path))
        {
            return;
        }

        options.ServerName ??= DefaultName;
        options.ServerVersion ??= "0.0.0";
    }
}
