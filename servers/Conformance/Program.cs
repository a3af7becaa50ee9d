// --stdio: MCP over stdin and stdout (logs on stderr), as a child of mcpfleet-proxy or any stdio client;
// the same tools as the HTTP server, which is the default.
if (args.Contains("--stdio"))
{
    var host = Host.CreateApplicationBuilder();
    host.Logging.ClearProviders();
    host.Logging.AddConsole(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    host.Services.AddSingleton(TimeProvider.System); // the tools take it; McpFleet.Hosting registers it in HTTP mode
    host.Services.AddMcpServer(static o => o.ServerInfo = new() { Name = "conformance", Version = "1.0.0" })
        .WithStdioServerTransport()
        .WithConformanceFeatures();
    await host.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddMcpFleetServer().WithConformanceFeatures();

var app = builder.Build();
app.MapMcpFleet();
await app.RunAsync();
