using McpFleet.Gateway;
using McpFleet.Gateway.Configuration;
using Microsoft.Extensions.Configuration.Memory;

const int InvalidInputExitCode = 2;
const string Usage = """
    mcpfleet-gateway --config <file>

    One MCP endpoint (/mcp on SERVER_PORT) for every server in <file>: their tools, prompts, resources and
    completions federated, each server isolated, callers authenticated and rate limited. /health, /ready and
    /status on SERVER_PORT, /metrics on METRICS_PORT. The file is JSON, documented in docs/gateway.md.

    Exit codes: 0 stopped after SIGTERM, 2 invalid config or command line (one line on stderr names the field).
    """;

if (args is ["--version"])
{
    Console.WriteLine(typeof(GatewaySettings).Assembly.GetName().Version?.ToString(3));
    return 0;
}

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(Usage);
    return 0;
}

if (args is not ["--config", { Length: > 0 } path])
{
    Console.Error.WriteLine(args.Length == 0
        ? "mcpfleet-gateway: --config <file> is required"
        : $"mcpfleet-gateway: unexpected arguments '{string.Join(' ', args)}': the only options are --config <file>, --version and --help");
    return InvalidInputExitCode;
}

GatewaySettings settings;
try
{
    settings = GatewayConfigLoader.Load(path, Environment.GetEnvironmentVariable);
}
catch (GatewayConfigException ex)
{
    Console.Error.WriteLine($"mcpfleet-gateway: invalid config: {ex.Message}");
    return InvalidInputExitCode;
}

GatewayServiceCollectionExtensions.PreferInlineSocketCompletions();
var builder = WebApplication.CreateSlimBuilder();

// Lowest precedence: ASP.NET Core's two Information lines per request stay out of the log unless Logging__LogLevel__* says otherwise.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")] });
builder.AddMcpFleetGateway(settings);
var app = builder.Build();
app.MapMcpFleetGateway();
await app.RunAsync().ConfigureAwait(false);
return 0;
