using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace McpFleet.Hosting;

/// <summary>
/// The SDK's server options: <c>serverInfo</c> from the config, and the library's filters. Registered once through
/// <see cref="McpServerOptions"/>, because stateless servers build their pipeline per request.
/// </summary>
internal sealed class McpServerOptionsSetup(
    IOptions<McpFleetServerOptions> options,
    McpFleetToolCallFilter toolCalls,
    McpFleetMessageFilter messages) : IConfigureOptions<McpServerOptions>
{
    public void Configure(McpServerOptions mcp)
    {
        var o = options.Value;
        mcp.ServerInfo = new() { Name = o.ServerName ?? "mcp-server", Version = o.ServerVersion ?? "0.0.0" };
        mcp.Filters.Request.CallToolFilters.Add(toolCalls.Wrap);
        mcp.Filters.Message.IncomingFilters.Add(messages.Wrap);
    }
}
