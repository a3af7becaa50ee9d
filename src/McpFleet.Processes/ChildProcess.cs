using System.ComponentModel;
using System.Globalization;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using McpFleet.Processes.Native;
using Microsoft.Win32.SafeHandles;

namespace McpFleet.Processes;

/// <summary>
/// A command run as a child that cannot outlive this process: it runs in its own session and process group, signals go
/// to the whole group, and when this process ends, by any means including SIGKILL, the command and every process it
/// started in its group are killed.
/// </summary>
/// <remarks>
/// <para>
/// How: the child is this same program in a shim mode (<see cref="TryRunShim"/>), started with <c>posix_spawn</c> and
/// <c>POSIX_SPAWN_SETSID</c> so that it leads a new session and group, with its standard streams and, as descriptor 3,
/// one end of a Unix socket pair whose other end only this process holds (close-on-exec). The shim starts the command
/// in its group, reports the command's pid and, later, its wait status over the socket, and kills the group when the
/// socket reaches end of file: the kernel closes this process's end when it exits, whatever killed it, so there is no
/// window and no polling. When the command ends, the shim kills what it left in the group, as a container's processes
/// end with its main process.
/// </para>
/// <para>
/// Why not <c>PR_SET_PDEATHSIG</c> alone: it reaches only the direct child, is Linux-only, and fires when the
/// <em>thread</em> that forked exits (.NET forks on the calling thread, often a pool thread that retires), so a healthy
/// parent could kill its children. Why not only <c>setsid</c>: a group is signalled by someone, and a parent killed
/// with SIGKILL signals no one. A re-exec of the calling program needs no extra binary and no shell, so it works in a
/// distroless image and under Native AOT.
/// </para>
/// <para>
/// Limits: a process that leaves the group itself (<c>setsid</c>, <c>setpgid</c>: a daemon) is out of reach, as only a
/// cgroup or a PID namespace would catch it. Linux and macOS (macOS untested); not Windows.
/// </para>
/// </remarks>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_handshakeBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_groupBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_outputBound = TimeSpan.FromSeconds(2);

    private readonly ChildProcessOptions _options;
    private readonly StreamReader _lifeline;
    private readonly TaskCompletionSource<ChildExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _pumps = [];
    private readonly Stream? _stdin;
    private readonly Stream? _stdout;
    private readonly Stream? _stderr;

    private ChildProcess(ChildProcessOptions options, int groupId, StreamReader lifeline, Stream? stdin, Stream? stdout, Stream? stderr)
    {
        _options = options;
        ProcessGroupId = groupId;
        _lifeline = lifeline;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Gets the pid of the command.</summary>
    public int Id { get; private set; }

    /// <summary>Gets the id of the child's process group and session (the shim's pid), which every signal goes to.</summary>
    public int ProcessGroupId { get; }

    /// <summary>Gets a value indicating whether the command has ended and nothing is left in its group.</summary>
    public bool HasExited => _exit.Task.IsCompleted;

    /// <summary>Gets the command's standard input (binary; dispose it to send end of file).</summary>
    /// <exception cref="InvalidOperationException">Standard input is not <see cref="ChildStdio.Pipe"/>.</exception>
    public Stream StandardInput => _stdin ?? throw new InvalidOperationException("standard input is not a pipe: set StandardInput = ChildStdio.Pipe.");

    /// <summary>Gets the command's standard output (binary).</summary>
    /// <exception cref="InvalidOperationException">Standard output is not a <see cref="ChildStdio.Pipe"/> read by the caller.</exception>
    public Stream StandardOutput => _options.OutputLine is null && _stdout is not null ? _stdout
        : throw new InvalidOperationException("standard output is not a pipe the caller reads: set StandardOutput = ChildStdio.Pipe and no OutputLine.");

    /// <summary>Gets the command's standard error (binary).</summary>
    /// <exception cref="InvalidOperationException">Standard error is not a <see cref="ChildStdio.Pipe"/> read by the caller.</exception>
    public Stream StandardError => _options.ErrorLine is null && _stderr is not null ? _stderr
        : throw new InvalidOperationException("standard error is not a pipe the caller reads: set StandardError = ChildStdio.Pipe and no ErrorLine.");

    /// <summary>
    /// Runs the shim mode when <paramref name="args"/> asks for it. A program that starts a <see cref="ChildProcess"/>
    /// calls this first in <c>Main</c>: <c>if (ChildProcess.TryRunShim(args, out var code)) return code;</c>.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="exitCode">The shim's exit code when it ran.</param>
    /// <returns>True when this process was the shim and has done its work.</returns>
    public static bool TryRunShim(ReadOnlySpan<string> args, out int exitCode)
    {
        if (args.Length == 0 || args[0] != ChildProcessShim.Argument)
        {
            exitCode = 0;
            return false;
        }

        exitCode = ChildProcessShim.Run(args[1..]);
        return true;
    }

    /// <summary>Starts a command; returns once it runs (or could not be started).</summary>
    /// <param name="options">The command and how to connect it.</param>
    /// <param name="cancellationToken">Cancels the start; the child is then killed.</param>
    /// <returns>The running child.</returns>
    /// <exception cref="Win32Exception">The command cannot be started (not found, not executable, bad working directory).</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux or macOS.</exception>
    /// <exception cref="InvalidOperationException">This program does not call <see cref="TryRunShim"/> first in <c>Main</c>.</exception>
    public static async Task<ChildProcess> StartAsync(ChildProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("ChildProcess needs POSIX process groups: Linux or macOS.");
        }

        var parentEnds = new List<int>();
        var childEnds = new List<int>();
        var descriptors = new List<SpawnDescriptor>();
        int Connect(int target, ChildStdio mode, bool input)
        {
            switch (mode)
            {
                case ChildStdio.Pipe:
                    var (read, write) = Libc.CreatePipe();
                    parentEnds.Add(input ? write : read);
                    childEnds.Add(input ? read : write);
                    descriptors.Add(new(target, input ? read : write));
                    return input ? write : read;
                case ChildStdio.Null:
                    descriptors.Add(new(target, -1, input ? Libc.ORdOnly : Libc.OWrOnly));
                    return -1;
                default:
                    return -1;
            }
        }

        int stdin = -1, stdout = -1, stderr = -1, lifeline = -1;
        try
        {
            stdin = Connect(0, options.StandardInput, input: true);
            stdout = Connect(1, options.OutputLine is null ? options.StandardOutput : ChildStdio.Pipe, input: false);
            stderr = Connect(2, options.ErrorLine is null ? options.StandardError : ChildStdio.Pipe, input: false);
            var (mine, theirs) = Libc.CreateSocketPair();
            lifeline = mine;
            parentEnds.Add(mine);
            childEnds.Add(theirs);
            descriptors.Add(new(ChildProcessShim.Lifeline, theirs));

            var prefix = ChildProcessShim.Prefix();
            List<string> argv = [.. prefix, options.WorkingDirectory ?? "", options.FileName, .. options.Arguments];
            var pid = Spawn.Start(prefix[0], searchPath: false, argv, Environment(options), descriptors, newSession: true);
            if (pid < 0)
            {
                throw new Win32Exception(-pid, $"cannot start '{options.FileName}': the child-process shim '{prefix[0]}' did not start: {Marshal.GetPInvokeErrorMessage(-pid)}");
            }

            foreach (var fd in childEnds)
            {
                _ = Libc.Close(fd);
            }

            childEnds.Clear();
            var socket = new Socket(new SafeSocketHandle(lifeline, ownsHandle: true));
            parentEnds.Remove(lifeline);
            var reader = new StreamReader(new NetworkStream(socket, ownsSocket: true), Encoding.UTF8);
            var child = new ChildProcess(options, pid, reader, Open(stdin, PipeDirection.Out, parentEnds), Open(stdout, PipeDirection.In, parentEnds), Open(stderr, PipeDirection.In, parentEnds));
            await child.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return child;
        }
        finally
        {
            foreach (var fd in parentEnds.Concat(childEnds))
            {
                _ = Libc.Close(fd);
            }
        }
    }

    /// <summary>Sends SIGTERM to the child's process group; nothing once it has exited.</summary>
    public void Terminate() => Signal(Libc.SigTerm);

    /// <summary>Sends SIGKILL to the child's process group; nothing once it has exited.</summary>
    public void Kill() => Signal(Libc.SigKill);

    /// <summary>Waits until the command has ended, nothing is left in its group and its output lines are delivered.</summary>
    /// <param name="cancellationToken">Stops waiting (the child keeps running).</param>
    /// <returns>How the command ended.</returns>
    public Task<ChildExit> WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Stops the child as a kubelet stops a container: SIGTERM to the group, then SIGKILL to the group when
    /// <paramref name="grace"/> has passed (measured with <see cref="ChildProcessOptions.TimeProvider"/>).
    /// </summary>
    /// <param name="grace">How long the group may take to exit after SIGTERM.</param>
    /// <param name="cancellationToken">Cuts the grace short: the group is killed at once.</param>
    /// <returns>How the command ended, once nothing is left in its group.</returns>
    public async Task<ChildExit> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (!HasExited)
        {
            Terminate();
            using var bound = new CancellationTokenSource(grace, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
            try
            {
                return await _exit.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                Kill();
            }
        }

        return await _exit.Task.ConfigureAwait(false);
    }

    /// <summary>Kills the group if it still runs, waits for it, and releases the streams.</summary>
    /// <returns>A task that completes when nothing of the child is left.</returns>
    public async ValueTask DisposeAsync()
    {
        Kill();
        if (Id != 0)
        {
            await _exit.Task.ConfigureAwait(false);
        }

        _lifeline.Dispose();
        _stdin?.Dispose();
        _stdout?.Dispose();
        _stderr?.Dispose();
    }

    private static AnonymousPipeClientStream? Open(int fd, PipeDirection direction, List<int> owned)
    {
        if (fd < 0)
        {
            return null;
        }

        owned.Remove(fd);
        return new AnonymousPipeClientStream(direction, new SafePipeHandle(fd, ownsHandle: true));
    }

    private static List<string> Environment(ChildProcessOptions options)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            merged[(string)e.Key] = (string?)e.Value ?? "";
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = value;
            }
        }

        return merged.Select(e => $"{e.Key}={e.Value}").ToList();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(s_handshakeBound, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken);
        string? line;
        try
        {
            line = await _lifeline.ReadLineAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            line = null;
        }

        if (line is not null && line.StartsWith("started ", StringComparison.Ordinal))
        {
            Id = int.Parse(line.AsSpan("started ".Length), CultureInfo.InvariantCulture);
            if (_options.OutputLine is { } onOutput && _stdout is not null)
            {
                _pumps.Add(Task.Run(() => PumpAsync(_stdout, onOutput), CancellationToken.None));
            }

            if (_options.ErrorLine is { } onError && _stderr is not null)
            {
                _pumps.Add(Task.Run(() => PumpAsync(_stderr, onError), CancellationToken.None));
            }

            _ = Task.Run(MonitorAsync, CancellationToken.None);
            return;
        }

        // Not started: kill and reap the shim, then say why.
        _ = Libc.Kill(-ProcessGroupId, Libc.SigKill);
        await Task.Factory.StartNew(() => Spawn.Wait(ProcessGroupId), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        _exit.TrySetResult(new ChildExit(null, Libc.SigKill));
        await DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (line is not null && line.StartsWith("failed ", StringComparison.Ordinal))
        {
            var rest = line["failed ".Length..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var errno = int.Parse(rest.AsSpan(0, space), CultureInfo.InvariantCulture);
            throw new Win32Exception(errno, $"cannot start '{_options.FileName}': {rest[(space + 1)..]}");
        }

        throw bound.IsCancellationRequested
            ? new TimeoutException($"the child-process shim for '{_options.FileName}' did not answer within {s_handshakeBound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.")
            : new InvalidOperationException(
                $"cannot start '{_options.FileName}': this program did not run its child-process shim. Call 'if (ChildProcess.TryRunShim(args, out var code)) return code;' first in Main.");
    }

    private async Task MonitorAsync()
    {
        int? reported = null;
        try
        {
            while (await _lifeline.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("status ", StringComparison.Ordinal))
                {
                    reported = int.Parse(line.AsSpan("status ".Length), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The shim is gone: same as end of file.
        }

        var shim = await Task.Factory.StartNew(() => Spawn.Wait(ProcessGroupId), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        // The command's status when the shim reported it; otherwise the shim was killed (by the group's SIGKILL, or
        // alone), and the command with it or just after. A shim reaped elsewhere (SIGCHLD ignored) leaves no status.
        var exit = reported is { } status ? ChildExit.FromWaitStatus(status)
            : shim is { } own ? ChildExit.FromWaitStatus(own)
            : new ChildExit(null, Libc.SigKill);
        await EnsureGroupGoneAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_pumps).WaitAsync(s_outputBound, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A process outside the group (a daemon) still holds the pipe; its lines are not the child's.
        }

        _exit.TrySetResult(exit);
    }

    /// <summary>Kills and waits out what is left in the group when the shim could not (it was killed alone).</summary>
    private async Task EnsureGroupGoneAsync()
    {
        var start = _options.TimeProvider.GetTimestamp();
        while (Libc.Kill(-ProcessGroupId, 0) == 0 && _options.TimeProvider.GetElapsedTime(start) < s_groupBound)
        {
            _ = Libc.Kill(-ProcessGroupId, Libc.SigKill);
            // Killed processes stay in the group until their parent (init, once the shim is gone) reaps them.
            await Task.Delay(TimeSpan.FromMilliseconds(10), _options.TimeProvider).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(Stream stream, Action<string> onLine)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false);
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe was closed under the reader at disposal.
        }
    }

    private void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = Libc.Kill(-ProcessGroupId, signal);
        }
    }
}
