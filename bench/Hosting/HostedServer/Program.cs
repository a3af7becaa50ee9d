using McpFleet.Bench;

// (b) The same tool on McpFleet.Hosting: one hosting call adds probes, metrics, JSON logs, drain and Origin checks.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddMcpFleetServer().WithTools<EchoTool>();

var app = builder.Build();
app.MapMcpFleet();
await app.RunAsync();
