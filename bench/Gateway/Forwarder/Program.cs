// The forwarding ceiling of bench/Gateway/run.sh: a reverse proxy that does nothing but forward. Every POST to the
// upstream's path goes to the upstream as it came (headers and body copied, no JSON read, no MCP, no log, no metric) and
// the answer comes back as it went. No HTTP forwarder can be faster on this machine, so run.sh's forwarder/direct is the
// ceiling of the gateway/direct ratio, and gateway/forwarder is how close the gateway comes to it.
//
// Two ways, one binary: "plain" (default), Kestrel and one HttpMessageInvoker by hand, which holds the answer's bytes until
// the upstream's next read would wait, so a one-frame answer leaves with the end of the response in one send; and "yarp",
// YARP's direct forwarding (MapForwarder), ~17 us of CPU per call more (bench/RESULTS.md). The runtime settings are the
// gateway's: its csproj knobs (here in the csproj), inline socket completions and Kestrel's inline scheduling.
//
//   SERVER_PORT=5305 McpFleet.Bench.Forwarder http://127.0.0.1:5301/mcp [plain|yarp]
using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

if (args.Length is < 1 or > 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var upstream) || upstream.Scheme != Uri.UriSchemeHttp
    || (args.Length == 2 && args[1] is not ("plain" or "yarp")))
{
    Console.Error.WriteLine("usage: McpFleet.Bench.Forwarder <upstream http:// URL, e.g. http://127.0.0.1:5301/mcp> [plain|yarp]  (env: SERVER_PORT, default 5305)");
    return 2;
}

var yarp = args.Length == 2 && args[1] == "yarp";
var portText = Environment.GetEnvironmentVariable("SERVER_PORT") ?? "5305";
if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
{
    Console.Error.WriteLine($"SERVER_PORT={portText}: give a TCP port");
    return 2;
}

// As the gateway (GatewayServiceCollectionExtensions.PreferInlineSocketCompletions): read once, before the first socket.
const string inlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(inlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(inlineCompletions, "1");
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var inline = Environment.GetEnvironmentVariable(inlineCompletions) == "1";
builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = inline);
builder.Services.AddHttpForwarder();
var app = builder.Build();

// The handler YARP's docs recommend for forwarding, shared by both ways.
using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(5),
});
app.MapGet("/ready", static context => context.Response.WriteAsync("ok"));
if (yarp)
{
    var config = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

    // HttpTransformer.Empty copies the headers as they are (Default adds X-Forwarded-*); the prefix gets the request's path.
    app.MapForwarder(upstream.AbsolutePath, upstream.GetLeftPart(UriPartial.Authority), config, HttpTransformer.Empty, invoker);
}
else
{
    app.MapPost(upstream.AbsolutePath, context => Plain.ForwardAsync(context, upstream, invoker));
}

await app.RunAsync();
return 0;

/// <summary>The hand-written forwarder.</summary>
internal static class Plain
{
    public static async Task ForwardAsync(HttpContext context, Uri upstream, HttpMessageInvoker invoker)
    {
        var cancel = context.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Version = HttpVersion.Version11, Content = new StreamContent(context.Request.Body) };
        foreach (var (name, value) in context.Request.Headers)
        {
            if (!IsHopByHop(name) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value))
            {
                _ = request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancel);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
            {
                if (!IsHopByHop(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.Count == 1 ? new StringValues(header.Value.ToString()) : new StringValues([.. header.Value]);
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancel);
            var writer = context.Response.BodyWriter;
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

            // Bytes are held only while the upstream has more at hand: the end of the response then sends the last of them
            // with the chunked terminator, one send instead of two, and a stream that pauses is flushed at once.
            var held = false;
            while (true)
            {
                var read = body.ReadAsync(buffer, cancel);
                if (held && !read.IsCompleted)
                {
                    _ = await writer.FlushAsync(cancel);
                    held = false;
                }

                var count = await read;
                if (count == 0)
                {
                    break;
                }

                writer.Write(buffer.AsSpan(0, count));
                held = true;
            }

            // Not in a finally: after a failed flush the read may still be writing into the buffer.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase);
}
