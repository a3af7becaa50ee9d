using System.Collections.Concurrent;
using System.ComponentModel;
using McpFleet.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>
/// A real MCP server on loopback (the SDK's, in the test process) that records the headers of every request it gets,
/// with an <c>echo</c> tool and a <c>slow</c> one: what the gateway sends upstream, seen from the upstream.
/// </summary>
public sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failToolLists;

    private RecordingUpstream(WebApplication app, int port)
    {
        _app = app;
        McpUrl = new Uri($"http://127.0.0.1:{port}/mcp");
    }

    /// <summary>Gets the server's tools; adding one makes a stateful server send <c>notifications/tools/list_changed</c>.</summary>
    public McpServerPrimitiveCollection<McpServerTool> Tools =>
        _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpServerOptions>>().Value.ToolCollection!;

    /// <summary>Gets the MCP endpoint.</summary>
    public Uri McpUrl { get; }

    /// <summary>Gets tools listed besides the collection's, by a list handler: adding one tells nobody (a silent change).</summary>
    public ConcurrentQueue<ModelContextProtocol.Protocol.Tool> ExtraTools { get; } = new();

    /// <summary>Gets the headers of every request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Requests { get; } = new();

    /// <summary>Gets the body of every POST, in order: the JSON-RPC ids show whether the gateway forwarded a client's id as sent.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>Gets or sets a test of a POST's body: true answers it with HTTP 400, as a server that wants a session does.</summary>
    public Func<string, bool>? Refuse { get; set; }

    /// <summary>Gets or sets where a POST is redirected (HTTP 307) by its body, or null where it is not.</summary>
    public Func<string, Uri?>? RedirectTo { get; set; }

    /// <summary>Gets or sets whether every answer sets a cookie, as an ingress with sticky sessions does.</summary>
    public bool SetsCookie { get; set; }

    /// <summary>Gets or sets how many of the next <c>tools/list</c> requests fail with a JSON-RPC error (a server not ready to list).</summary>
    public int FailToolLists
    {
        get => Volatile.Read(ref _failToolLists);
        set => Volatile.Write(ref _failToolLists, value);
    }

    /// <summary>Gets how many <c>slow</c> calls were cancelled at the server (the gateway gave up or the client left).</summary>
    public int Cancelled => _app.Services.GetRequiredService<SlowCalls>().Cancelled;

    /// <summary>Starts the server.</summary>
    /// <param name="stateful">Whether it keeps sessions (and so can send unsolicited notifications such as list_changed).</param>
    /// <returns>The running server.</returns>
    public static async Task<RecordingUpstream> StartAsync(bool stateful = false)
    {
        var port = LoopbackPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        RecordingUpstream? upstream = null;
        builder.Services.AddSingleton<SlowCalls>();
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "recording", Version = "1.0.0" })
            .WithHttpTransport(o => o.Stateless = !stateful)
            .WithTools<RecordingTools>()
            .WithListToolsHandler((_, _) => Interlocked.Decrement(ref upstream!._failToolLists) >= 0
                ? throw new McpException("not ready to list tools")
                : ValueTask.FromResult(new ModelContextProtocol.Protocol.ListToolsResult { Tools = [.. upstream!.ExtraTools] }));
        var app = builder.Build();
        upstream = new RecordingUpstream(app, port);
        app.Use(async (context, next) =>
        {
            upstream.Requests.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.EnableBuffering();
                using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                upstream.Bodies.Enqueue(body);
                context.Request.Body.Position = 0;
                if (upstream.Refuse?.Invoke(body) == true)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }

                if (upstream.RedirectTo?.Invoke(body) is { } location)
                {
                    context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                    context.Response.Headers.Location = location.ToString();
                    return;
                }
            }

            if (upstream.SetsCookie)
            {
                context.Response.Headers.SetCookie = "sticky=upstream-replica-1; Path=/";
            }

            await next(context);
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The recording server's tools.</summary>
    [McpServerToolType]
    public sealed class RecordingTools
    {
        [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
        public static string Echo(string message) => message;

        [McpServerTool(Name = "slow"), Description("Answers after the given milliseconds.")]
        public static async Task<string> SlowAsync(SlowCalls calls, int milliseconds, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(milliseconds, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                calls.OnCancelled();
                throw;
            }

            return $"slept {milliseconds} ms";
        }
    }

    /// <summary>Counts <c>slow</c> calls cancelled at the server.</summary>
    public sealed class SlowCalls
    {
        private int _cancelled;

        /// <summary>Gets the count.</summary>
        public int Cancelled => Volatile.Read(ref _cancelled);

        /// <summary>Counts one.</summary>
        public void OnCancelled() => Interlocked.Increment(ref _cancelled);
    }
}
