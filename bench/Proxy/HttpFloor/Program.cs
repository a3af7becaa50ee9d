// (e) The HTTP floor of bench/Proxy/run.sh: Kestrel answering every POST /mcp with the echo tool's answer as one SSE
// frame, canned: no JSON read, no child, no log, no metric. No Streamable HTTP front of a stdio server can be faster on
// this machine, so (e) against (d) says how much of the child's own throughput any such bridge can reach here.
//
//   McpFleet.Bench.HttpFloor --urls http://127.0.0.1:5201
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var answer = "event: message\ndata: {\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello world\"}]},\"id\":1,\"jsonrpc\":\"2.0\"}\n\n"u8.ToArray();
app.MapPost("/mcp", async context =>
{
    var body = context.Request.BodyReader;
    while (true)
    {
        var read = await body.ReadAsync(context.RequestAborted);
        body.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    context.Response.ContentType = "text/event-stream";
    context.Response.Headers.CacheControl = "no-cache,no-store";
    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});
await app.RunAsync();
