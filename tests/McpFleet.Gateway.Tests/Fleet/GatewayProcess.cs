using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary><c>mcpfleet-gateway --config</c> running as a real process, with a config the test writes.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly string _directory;

    private GatewayProcess(ServiceProcess process, string directory, string configPath)
    {
        Process = process;
        _directory = directory;
        ConfigPath = configPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{process.Port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Gets the process.</summary>
    public ServiceProcess Process { get; }

    /// <summary>Gets the config file.</summary>
    public string ConfigPath { get; }

    /// <summary>Gets a client for the MCP port.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the MCP endpoint.</summary>
    public Uri McpUrl => Process.McpUrl;

    /// <summary>Writes <paramref name="config"/> and starts the gateway on it (not waiting for readiness).</summary>
    /// <param name="config">The config.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The gateway.</returns>
    public static GatewayProcess Launch(JsonObject config, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Directory.CreateTempSubdirectory("mcpfleet-gateway-test-").FullName;
        var path = Path.Combine(directory, "gateway.json");
        File.WriteAllText(path, config.ToJsonString());
        var process = ServiceProcess.Launch("mcpfleet-gateway", Binaries.Gateway, ["--config", path], environment);
        return new GatewayProcess(process, directory, path);
    }

    /// <summary>Starts the gateway and waits until it is ready and lists every upstream's tools.</summary>
    /// <param name="config">The config.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The gateway.</returns>
    public static async Task<GatewayProcess> StartAsync(JsonObject config, IReadOnlyDictionary<string, string>? environment = null)
    {
        var gateway = Launch(config, environment);
        await gateway.Process.WaitReadyAsync();
        return gateway;
    }

    /// <summary>Starts it with gateway sessions: a fresh random key in <c>sessions.keyEnv</c>, added to the config.</summary>
    /// <param name="config">The config, without <c>sessions</c>.</param>
    /// <returns>The gateway.</returns>
    public static Task<GatewayProcess> StartWithSessionsAsync(JsonObject config)
    {
        config["sessions"] = new JsonObject { ["keyEnv"] = "GATEWAY_SESSION_KEY" };
        return StartAsync(config, new Dictionary<string, string> { ["GATEWAY_SESSION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
    }

    /// <summary>Posts a JSON-RPC body to <c>/mcp</c> with the headers Streamable HTTP requires.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="configure">Changes to the request (headers).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response.</returns>
    public Task<HttpResponseMessage> PostMcpAsync(string body, Action<HttpRequestMessage>? configure = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure?.Invoke(request);
        return Http.SendAsync(request, cancellationToken);
    }

    /// <summary>Connects the SDK's client.</summary>
    /// <param name="protocolVersion">The version to pin, or null to negotiate (2026-07-28 first).</param>
    /// <param name="bearer">A bearer credential, or null.</param>
    /// <returns>The connected client.</returns>
    public async Task<McpClient> ConnectAsync(string? protocolVersion = "2025-11-25", string? bearer = null)
    {
        var options = new McpClientOptions { ProtocolVersion = protocolVersion, ClientInfo = new() { Name = "gateway-tests", Version = "1.0.0" } };
        var transportOptions = new HttpClientTransportOptions { Endpoint = McpUrl, TransportMode = HttpTransportMode.StreamableHttp };
        if (bearer is not null)
        {
            transportOptions.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" };
        }

        return await McpClient.CreateAsync(new HttpClientTransport(transportOptions), options, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Reads <c>/status</c>.</summary>
    /// <param name="bearer">A bearer credential, or null.</param>
    /// <returns>The status document.</returns>
    public async Task<JsonObject> StatusAsync(string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/status {(int)response.StatusCode}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>Waits until <c>/status</c> shows <paramref name="upstream"/> in <paramref name="state"/>.</summary>
    /// <param name="upstream">The upstream's name.</param>
    /// <param name="state"><c>up</c> or <c>down</c>.</param>
    /// <param name="bound">The bound.</param>
    /// <param name="bearer">A bearer credential, or null.</param>
    /// <returns>A task.</returns>
    public async Task WaitForUpstreamAsync(string upstream, string state, TimeSpan? bound = null, string? bearer = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limit = bound ?? TimeSpan.FromSeconds(90);
        JsonObject? last = null;
        while (clock.Elapsed < limit)
        {
            last = await StatusAsync(bearer);
            if (last["upstreams"]!.AsArray().Any(u => (string?)u!["name"] == upstream && (string?)u["state"] == state))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"upstream {upstream} did not turn {state} within {limit}: {last?.ToJsonString()}\n{Process.Output}");
    }

    /// <summary>Waits until the gateway holds at least <paramref name="count"/> open <c>list_changed</c> streams (its metrics say so).</summary>
    /// <param name="count">How many.</param>
    /// <param name="bound">The bound.</param>
    /// <returns>A task.</returns>
    public async Task WaitForListChangedStreamsAsync(int count, TimeSpan? bound = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limit = bound ?? TimeSpan.FromSeconds(30);
        var open = 0;
        while (clock.Elapsed < limit)
        {
            var metrics = await Process.MetricsAsync();
            var match = System.Text.RegularExpressions.Regex.Match(metrics, @"^mcpfleet_gateway_list_changed_streams(?:\{[^}]*\})? (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
            open = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (open >= count)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the gateway held {open} list_changed streams, not {count}, after {limit}\n{Process.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
