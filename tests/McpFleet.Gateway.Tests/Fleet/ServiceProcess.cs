using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>
/// A server of the test fleet running as a real process on free loopback ports (<c>SERVER_PORT</c>,
/// <c>METRICS_PORT</c>): the gateway, a Hosting server, or mcpfleet-proxy. Ends with the test: SIGTERM, then SIGKILL.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, string name, int port, int metricsPort)
    {
        _process = process;
        Name = name;
        Port = port;
        MetricsPort = metricsPort;
    }

    /// <summary>Gets a name for messages.</summary>
    public string Name { get; }

    /// <summary>Gets the MCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the metrics port.</summary>
    public int MetricsPort { get; }

    /// <summary>Gets the MCP endpoint.</summary>
    public Uri McpUrl => new($"http://127.0.0.1:{Port}/mcp");

    /// <summary>Gets the process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets a task that completes when the process exits.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Gets the exit code (after <see cref="Exited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Gets stdout and stderr so far.</summary>
    public string Output => $"--- {Name} stdout ---\n{string.Join('\n', _stdout)}\n--- {Name} stderr ---\n{string.Join('\n', _stderr)}";

    /// <summary>Gets the stdout lines so far.</summary>
    public IReadOnlyList<string> LogLines => [.. _stdout];

    /// <summary>Starts a process.</summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="command">The executable.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="port">The MCP port, or 0 for a free one.</param>
    /// <returns>The process (not necessarily ready).</returns>
    public static ServiceProcess Launch(string name, string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int port = 0)
    {
        var psi = new ProcessStartInfo(command)
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

        port = port == 0 ? LoopbackPorts.Next() : port;
        var metricsPort = LoopbackPorts.Next();
        psi.Environment[RuntimeContract.EnvironmentVariables.ServerPort] = port.ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.MetricsPort] = metricsPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.ConfigPath] = string.Empty;
        psi.Environment["McpFleet__BindAddress"] = "127.0.0.1";
        psi.Environment["McpFleet__DrainDelay"] = "00:00:01";
        psi.Environment["McpFleet__ShutdownTimeout"] = "00:00:10";
        psi.Environment["DOTNET_gcServer"] = "0";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, name, port, metricsPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { service._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { service._stderr.Enqueue(e.Data); } };
        process.Exited += (_, _) => service._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Gets <c>/ready</c>: its status and text, or 0 when nothing listens.</summary>
    /// <returns>The status and body.</returns>
    public async Task<(HttpStatusCode Status, string Text)> ReadyAsync()
    {
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await probe.GetAsync(new Uri($"http://127.0.0.1:{Port}{RuntimeContract.ReadyPath}"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, ex.Message);
        }
    }

    /// <summary>Polls <c>/ready</c> until it is 200; fails with the output at the bound or when the process exits.</summary>
    /// <param name="bound">The bound.</param>
    /// <returns>This process.</returns>
    public async Task<ServiceProcess> WaitReadyAsync(TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = bound ?? TimeSpan.FromSeconds(120);
        var last = (Status: (HttpStatusCode)0, Text: string.Empty);
        while (clock.Elapsed < limit)
        {
            Assert.False(Exited.IsCompleted, $"{Name} exited ({(Exited.IsCompleted ? ExitCode : 0)}) before it was ready:\n{Output}");
            last = await ReadyAsync();
            if (last.Status == HttpStatusCode.OK)
            {
                return this;
            }

            await Task.WhenAny(Exited, Task.Delay(50));
        }

        Assert.Fail($"{Name}: /ready did not answer 200 within {limit} (last: {(int)last.Status} {last.Text}):\n{Output}");
        return this;
    }

    /// <summary>Reads <c>/metrics</c>.</summary>
    /// <returns>The Prometheus text.</returns>
    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
    }

    /// <summary>Sends a signal to the process.</summary>
    /// <param name="signal">The signal.</param>
    public void Signal(int signal) => Assert.Equal(0, Native.Kill(_process.Id, signal));

    /// <summary>Kills the process (and its children) at once, as a crash would.</summary>
    /// <returns>A task that completes when it is gone.</returns>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <param name="bound">The bound.</param>
    /// <returns>Whether it exited in time.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan bound) => await Task.WhenAny(Exited, Task.Delay(bound)) == Exited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
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
