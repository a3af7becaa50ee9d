using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using McpFleet.Tests;
using ModelContextProtocol.Client;

namespace McpFleet.Proxy.Tests;

/// <summary><c>mcpfleet-proxy</c> running as a real process on free loopback ports.</summary>
public sealed class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProxyProcess(Process process, int port, int metricsPort)
    {
        _process = process;
        Port = port;
        MetricsPort = metricsPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public int MetricsPort { get; }

    public Uri McpUrl => new($"http://127.0.0.1:{Port}/mcp");

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    public Task Exited => _exited.Task;

    public int ExitCode => _process.ExitCode;

    /// <summary>Gets stdout (the JSON log) and stderr so far.</summary>
    public string Output => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr);

    /// <summary>Gets the stdout lines so far.</summary>
    public IReadOnlyList<string> LogLines => [.. _stdout];

    /// <summary>Starts the proxy with <paramref name="arguments"/> (e.g. <c>stdio -- node child.mjs</c>).</summary>
    /// <param name="arguments">The proxy's arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The running proxy (not necessarily ready).</returns>
    public static ProxyProcess Launch(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Children.Proxy)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        var port = LoopbackPorts.Next();
        var metricsPort = LoopbackPorts.Next();
        psi.Environment[RuntimeContract.EnvironmentVariables.ServerPort] = port.ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.MetricsPort] = metricsPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.ConfigPath] = string.Empty;
        psi.Environment["McpFleet__BindAddress"] = "127.0.0.1";
        psi.Environment["McpFleet__DrainDelay"] = "00:00:01";
        psi.Environment["McpFleet__ShutdownTimeout"] = "00:00:10";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var proxy = new ProxyProcess(process, port, metricsPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { proxy._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { proxy._stderr.Enqueue(e.Data); } };
        process.Exited += (_, _) => proxy._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return proxy;
    }

    /// <summary>Starts the proxy and waits until <c>/ready</c> is 200.</summary>
    /// <param name="arguments">The proxy's arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The ready proxy.</returns>
    public static async Task<ProxyProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var proxy = Launch(arguments, environment);
        await proxy.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return proxy;
    }

    /// <summary>Gets <c>/ready</c>: its status and text, or 0 when nothing listens.</summary>
    /// <returns>The status and body.</returns>
    public async Task<(HttpStatusCode Status, string Text)> ReadyAsync()
    {
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await probe.GetAsync(new Uri($"http://127.0.0.1:{Port}{RuntimeContract.ReadyPath}"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, ex.Message);
        }
    }

    /// <summary>Polls <c>/ready</c> until it is 200; fails with the output at the bound or when the proxy exits.</summary>
    /// <param name="bound">The bound.</param>
    /// <returns>A task.</returns>
    public async Task WaitReadyAsync(TimeSpan bound) =>
        await WaitForReadyStatusAsync(HttpStatusCode.OK, bound);

    /// <summary>Polls <c>/ready</c> until it answers <paramref name="status"/>.</summary>
    /// <param name="status">The status to wait for.</param>
    /// <param name="bound">The bound.</param>
    /// <returns>The body of the first answer with that status.</returns>
    public async Task<string> WaitForReadyStatusAsync(HttpStatusCode status, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        var last = (Status: (HttpStatusCode)0, Text: string.Empty);
        while (clock.Elapsed < bound)
        {
            Assert.False(Exited.IsCompleted, $"the proxy exited ({(Exited.IsCompleted ? ExitCode : 0)}) while waiting for /ready {(int)status}:\n{Output}");
            last = await ReadyAsync();
            if (last.Status == status)
            {
                return last.Text;
            }

            await Task.WhenAny(Exited, Task.Delay(20));
        }

        Assert.Fail($"/ready did not answer {(int)status} within {bound} (last: {(int)last.Status} {last.Text}):\n{Output}");
        return string.Empty;
    }

    /// <summary>Posts a JSON-RPC body to <c>/mcp</c> with the headers Streamable HTTP requires.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="configure">Changes to the request.</param>
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

    /// <summary>Connects the SDK's client: pinned to <paramref name="protocolVersion"/>, or negotiating (2026-07-28 first) when null.</summary>
    /// <param name="protocolVersion">The version to pin, or null.</param>
    /// <param name="configure">Changes to the client options (handlers).</param>
    /// <returns>The connected client.</returns>
    public async Task<McpClient> ConnectAsync(string? protocolVersion = null, Action<McpClientOptions>? configure = null)
    {
        var options = new McpClientOptions { ProtocolVersion = protocolVersion, ClientInfo = new() { Name = "proxy-tests", Version = "1.0.0" } };
        configure?.Invoke(options);
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = McpUrl, TransportMode = HttpTransportMode.StreamableHttp });
        return await McpClient.CreateAsync(transport, options, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Reads <c>/metrics</c>.</summary>
    /// <returns>The Prometheus text.</returns>
    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
    }

    /// <summary>Sends a signal to the proxy process.</summary>
    /// <param name="signal">The signal.</param>
    public void Signal(int signal) => Assert.Equal(0, Native.Kill(_process.Id, signal));

    /// <summary>Waits for the process to exit.</summary>
    /// <param name="bound">The bound.</param>
    /// <returns>Whether it exited in time.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan bound) => await Task.WhenAny(Exited, Task.Delay(bound)) == Exited;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            // SIGTERM first, so the proxy stops its child; then make sure.
            _ = Native.Kill(_process.Id, Native.SigTerm);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
