using McpFleet.Bench;

// (a) The bare SDK server of baselines.md: stateless Streamable HTTP, one tool, nothing else.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<EchoTool>();

var app = builder.Build();
app.MapMcp("/mcp");
await app.RunAsync();
