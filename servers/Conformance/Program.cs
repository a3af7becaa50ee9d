using McpFleet.Servers.Conformance.Tools;

var builder = WebApplication.CreateBuilder(args);
builder.AddMcpFleetServer()
    .WithTools<ConformanceTools>()
    .WithTools([ConformanceTools.JsonSchema202012Tool()])
    .WithResources<ConformanceResources>()
    .WithPrompts<ConformancePrompts>()
    .WithCompleteHandler(ConformanceTools.CompleteAsync)
    .WithSubscribeToResourcesHandler(static (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.EmptyResult()))
    .WithUnsubscribeFromResourcesHandler(static (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.EmptyResult()));

var app = builder.Build();
app.MapMcpFleet();
await app.RunAsync();
