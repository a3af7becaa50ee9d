using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

// A minimal server on the runtime contract: SERVER_PORT, MCPFLEET_CONFIG_PATH, /health, /ready, /mcp (JSON-RPC:
// initialize, tools/list), and /dep, which calls its dependency through <DEP>_MCP_URL.
// Knobs for the stop tests: DRAIN_SECONDS (keep serving that long after SIGTERM, as a Hosting server drains),
// IGNORE_SIGTERM=1 (SIGTERM does nothing; only SIGKILL ends it), EXIT_CODE=N (exit with N at once, before listening),
// READY_STATUS=N (below).
if (Environment.GetEnvironmentVariable("EXIT_CODE") is { } exitCode)
{
    Console.Error.WriteLine($"exiting with {exitCode} as asked");
    return int.Parse(exitCode, CultureInfo.InvariantCulture);
}

var port = int.Parse(Environment.GetEnvironmentVariable("SERVER_PORT") ?? "0", CultureInfo.InvariantCulture);
var config = JsonNode.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("MCPFLEET_CONFIG_PATH")!))!;
var tools = config["tools"]!.GetValue<int>();
var dependency = Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.EndsWith("_MCP_URL", StringComparison.Ordinal)).Select(Environment.GetEnvironmentVariable).FirstOrDefault();

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.ClearProviders();
var app = builder.Build();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

async Task<int?> DependencyToolsAsync()
{
    try
    {
        using var content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(dependency!), content);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return answer?["result"]?["tools"]?.AsArray().Count;
    }
    catch (HttpRequestException)
    {
        return null;
    }
}

// HEALTH_FAIL_FILE: while that file exists, /health answers 500 (a hung server, for the restart test).
var healthFailFile = Environment.GetEnvironmentVariable("HEALTH_FAIL_FILE");
app.MapGet("/health", () => healthFailFile is not null && File.Exists(healthFailFile)
    ? Results.Text("unhealthy", statusCode: 500) : Results.Text("ok"));
// READY_STATUS=N: /ready always answers N with a short body (a server that never becomes ready, for the messages).
var readyStatus = int.TryParse(Environment.GetEnvironmentVariable("READY_STATUS"), CultureInfo.InvariantCulture, out var forced) ? forced : (int?)null;
app.MapGet("/ready", async () => readyStatus is { } status ? Results.Text($"not ready:\n  the database   is down (asked for {status})", statusCode: status)
    : dependency is null || await DependencyToolsAsync() is not null
    ? Results.Text("ready") : Results.Text("dependency down", statusCode: 503));
app.MapGet("/dep", async () => Results.Text((await DependencyToolsAsync())?.ToString(CultureInfo.InvariantCulture) ?? "unreachable"));
app.MapGet("/env/{name}", (string name) => Results.Text(Environment.GetEnvironmentVariable(name) ?? ""));
app.MapPost("/mcp", async (HttpRequest request) =>
{
    var message = (await JsonNode.ParseAsync(request.Body))!;
    if (message["id"] is null)
    {
        return Results.StatusCode(202);
    }

    JsonNode result = message["method"]?.GetValue<string>() switch
    {
        "initialize" => new JsonObject { ["protocolVersion"] = "2025-06-18", ["capabilities"] = new JsonObject(), ["serverInfo"] = new JsonObject { ["name"] = "local-test" } },
        "tools/list" => new JsonObject { ["tools"] = new JsonArray(Enumerable.Range(0, tools).Select(i => (JsonNode)new JsonObject { ["name"] = $"t{i}" }).ToArray()) },
        _ => new JsonObject(),
    };
    return Results.Text(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = message["id"]!.DeepClone(), ["result"] = result }.ToJsonString(), "application/json");
});

if (int.TryParse(Environment.GetEnvironmentVariable("DRAIN_SECONDS"), CultureInfo.InvariantCulture, out var drain))
{
    app.Lifetime.ApplicationStopping.Register(() =>
    {
        Console.WriteLine($"draining for {drain} s");
        Thread.Sleep(TimeSpan.FromSeconds(drain));
        Console.WriteLine("drained");
    });
}

app.Lifetime.ApplicationStarted.Register(() =>
{
    if (Environment.GetEnvironmentVariable("IGNORE_SIGTERM") == "1")
    {
        // After the host registered its own handler: SIG_IGN replaces the runtime's, so SIGTERM reaches nothing.
        _ = Native.Signal(15, 1);
        Console.WriteLine("ignoring SIGTERM");
    }
});

Console.WriteLine($"listening on {port}, ENVIRONMENT={Environment.GetEnvironmentVariable("ENVIRONMENT")}");
app.Run();
return 0;

internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "signal")]
    internal static partial nint Signal(int signal, nint handler);
}
