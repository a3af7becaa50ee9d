using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using McpFleet.Cli.Tests.Processes;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>
/// A real <c>mcpfleet up --local</c> process (<c>dotnet mcpfleet.dll</c>, or <c>MCPFLEET_CLI</c>), so tests can send it real signals and kill
/// it with SIGKILL; plus a fleet of the tiny test server to run.
/// </summary>
public sealed class UpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private UpProcess(Process process) => _process = process;

    /// <summary>Gets the pid of <c>mcpfleet up</c>.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets every line written so far, stdout and stderr together.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Gets the output so far as one text, for failure messages.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>The path of the test server next to the tests.</summary>
    public static string TestServerDll => Path.Combine(AppContext.BaseDirectory, "McpFleet.LocalTestServer.dll");

    /// <summary>Writes a fleet: <paramref name="phases"/> as <c>name: [servers]</c>, and each server's values.</summary>
    /// <param name="directory">The fleet directory.</param>
    /// <param name="phases">The phases in order, each a name and its servers.</param>
    /// <param name="servers">Each server: its name and the YAML lines after <c>version</c> (run, env).</param>
    public static void WriteFleet(string directory, IReadOnlyList<(string Name, string[] Servers)> phases, IReadOnlyDictionary<string, string> servers)
    {
        Directory.CreateDirectory(Path.Combine(directory, "values"));
        File.WriteAllText(Path.Combine(directory, "fleet.yaml"), $"""
            namespace: local
            callers:
              app: backend
            phases:
            {string.Join('\n', phases.Select(p => $"  - name: {p.Name}\n    servers: [{string.Join(", ", p.Servers)}]"))}
            """);
        var port = 9001;
        foreach (var (name, rest) in servers)
        {
            File.WriteAllText(Path.Combine(directory, "values", name + ".yaml"), $"""
                name: {name}
                port: {port++}
                version: "1.0.0"
                tools: 1
                {rest}
                """);
        }
    }

    /// <summary>The <c>run</c> block of the test server, with extra env lines.</summary>
    /// <param name="env">Env vars of the server.</param>
    /// <returns>The YAML.</returns>
    public static string TestServer(params (string Name, string Value)[] env) => $"""
        run:
          command: dotnet
          args: ["{TestServerDll}"]
        env:
          McpFleet__BindAddress: 127.0.0.1
        {string.Join('\n', env.Select(e => $"  {e.Name}: \"{e.Value}\""))}
        """;

    /// <summary>Starts <c>mcpfleet ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="args">The command line after <c>mcpfleet</c>.</param>
    /// <returns>The running process.</returns>
    public static UpProcess Start(string workingDirectory, params string[] args)
    {
        var up = new UpProcess(CliProcess.Start(workingDirectory, args));
        up._process.OutputDataReceived += (_, e) => up.Add(e.Data);
        up._process.ErrorDataReceived += (_, e) => up.Add(e.Data);
        up._process.BeginOutputReadLine();
        up._process.BeginErrorReadLine();
        return up;
    }

    /// <summary>Waits until a line starts with <paramref name="prefix"/>; fails with the output otherwise.</summary>
    /// <param name="prefix">The line's start.</param>
    /// <returns>The line.</returns>
    public async Task<string> WaitForLineAsync(string prefix)
    {
        var start = Stopwatch.StartNew();
        while (true)
        {
            if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_process.HasExited && start.Elapsed > TimeSpan.FromSeconds(1))
            {
                Assert.Fail($"up exited ({_process.ExitCode}) before '{prefix}':\n{Output}");
            }

            Assert.True(start.Elapsed < TimeSpan.FromSeconds(120), $"no line '{prefix}' within 120 s:\n{Output}");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Sends a signal to <c>mcpfleet up</c>.</summary>
    /// <param name="signal">The signal name, e.g. <c>TERM</c>.</param>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for <c>mcpfleet up</c> to exit.</summary>
    /// <param name="bound">How long at most.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"up did not exit within {bound}:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>The pids in the server lines <c>NAME: started pid N …</c>.</summary>
    /// <returns>Every server pid seen.</returns>
    public IReadOnlyList<int> ServerPids() => Lines
        .Select(l => l.IndexOf(": started pid ", StringComparison.Ordinal) is var i and >= 0 ? l[(i + ": started pid ".Length)..].Split(' ')[0] : null)
        .OfType<string>().Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
