using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using McpFleet.Tests;

namespace McpFleet.Hosting.Tests;

/// <summary>A server from <c>servers/</c> running as a real process on free loopback ports.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, int port, int metricsPort)
    {
        _process = process;
        Port = port;
        MetricsPort = metricsPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Gets the MCP and probe port.</summary>
    public int Port { get; }

    /// <summary>Gets the metrics port.</summary>
    public int MetricsPort { get; }

    /// <summary>Gets the MCP endpoint.</summary>
    public Uri McpUrl => new($"http://127.0.0.1:{Port}{RuntimeContract.McpPath}");

    /// <summary>Gets a client whose base address is the MCP port.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets a task that completes when the process exits.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Gets the exit code (after <see cref="Exited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Gets every stdout line so far.</summary>
    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    /// <summary>Gets stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr);

    /// <summary>Starts <c>servers/{name}</c> with its own server-config.json unless the environment names another.</summary>
    /// <param name="name">The folder under servers/ (Conformance, Notes).</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="waitReady">Wait until <c>/ready</c> answers 200 (else until <c>/health</c> does).</param>
    /// <returns>The running server.</returns>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string>? environment = null, bool waitReady = true)
    {
        var server = Launch(name, environment);
        try
        {
            await server.WaitForAsync(waitReady ? RuntimeContract.ReadyPath : RuntimeContract.HealthPath);
            return server;
        }
        catch
        {
            // The caller never gets the process, so nobody else would end it.
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process without waiting for anything.</summary>
    /// <param name="name">The folder under servers/.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The process.</returns>
    public static ServerProcess Launch(string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = ServerDll(name);
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        var port = environment?.TryGetValue(RuntimeContract.EnvironmentVariables.ServerPort, out var p) == true
            ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)
            : LoopbackPorts.Next();
        var metricsPort = LoopbackPorts.Next();
        psi.Environment[RuntimeContract.EnvironmentVariables.ServerPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.MetricsPort] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.ConfigPath] = Path.Combine(Golden.RepoRoot(), "servers", name, RuntimeContract.ConfigFileName);
        psi.Environment["McpFleet__BindAddress"] = "127.0.0.1";
        psi.Environment["McpFleet__DrainDelay"] = "00:00:01";
        psi.Environment["McpFleet__ShutdownTimeout"] = "00:00:05";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port, metricsPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { server._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { server._stderr.Enqueue(e.Data); } };
        process.Exited += (_, _) => server._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; fails with the server's output after 60 s or on exit.</summary>
    /// <param name="path">The probe path.</param>
    /// <returns>A task.</returns>
    public async Task WaitForAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(Exited.IsCompleted, $"the server exited ({(Exited.IsCompleted ? ExitCode : 0)}) before {path} was 200:\n{Output}");
            try
            {
                using var response = await probe.GetAsync(new Uri($"http://127.0.0.1:{Port}{path}"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A probe that took longer than its timeout (a loaded machine, the first request's JIT): ask again.
            }

            await Task.WhenAny(Exited, Task.Delay(20));
        }

        Assert.Fail($"{path} did not answer 200 within 60 s:\n{Output}");
    }

    /// <summary>Sends SIGTERM, as the kubelet does.</summary>
    public void Terminate() => Assert.Equal(0, Native.Kill(_process.Id, Native.SigTerm));

    /// <summary>Waits for the process to exit.</summary>
    /// <param name="timeout">The bound.</param>
    /// <returns>Whether it exited in time.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout) => await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited;

    /// <summary>Posts a JSON-RPC body to <c>/mcp</c> with the headers the Streamable HTTP transport requires.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="configure">Changes to the request (headers).</param>
    /// <returns>The response.</returns>
    public Task<HttpResponseMessage> PostMcpAsync(string body, Action<HttpRequestMessage>? configure = null) => McpHttp.PostAsync(Http, body, configure);

    /// <summary>Calls tool <c>echo</c> (or another) and returns the raw response text.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="argumentsJson">The arguments as JSON.</param>
    /// <returns>The response body.</returns>
    public async Task<string> CallToolAsync(string tool, string argumentsJson)
    {
        using var response = await PostMcpAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}\n{Output}");
        return text;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string ServerDll(string name)
    {
        // Same configuration as this test assembly: .../tests/McpFleet.Hosting.Tests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(Golden.RepoRoot(), "servers", name, "bin", configuration, "net10.0", $"McpFleet.Servers.{name}.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tests/McpFleet.Hosting.Tests (it references the servers).");
        return dll;
    }
}
