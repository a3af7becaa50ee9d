using McpFleet.Servers.Notes.Tools;

var builder = WebApplication.CreateBuilder(args);
builder.AddMcpFleetServer().WithTools<NotesTools>();
builder.Services.AddSingleton<NoteStore>();
builder.Services.AddHealthChecks().AddMcpFleetDependency(NotesTools.Dependency);

var app = builder.Build();
app.MapMcpFleet();
await app.RunAsync();
