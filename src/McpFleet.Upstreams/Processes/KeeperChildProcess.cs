using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace McpFleet.Upstreams.Processes;

/// <summary>
/// <see cref="IChildProcess"/> through <see cref="ChildKeeper"/>: the keeper leads the process group and ends it when
/// this process dies. The stand-in until <c>McpFleet.Processes</c> lands; same contract.
/// </summary>
internal sealed class KeeperChildProcess : IChildProcess
{
    /// <summary>Longer stderr lines are cut here, so a child that never writes a newline cannot fill memory.</summary>
    internal const int MaxStandardErrorLine = 8 * 1024;

    private readonly Process _process;
    private readonly Task<int> _exited;
    private int _inputClosed;

    private KeeperChildProcess(Process process, Action<string>? standardErrorLine)
    {
        _process = process;
        StandardInput = process.StandardInput.BaseStream;
        StandardOutput = process.StandardOutput.BaseStream;
        var stderr = Task.Run(() => PumpStandardErrorAsync(process.StandardError, standardErrorLine));
        _exited = WaitAsync(process, stderr);
    }

    public int Id => _process.Id;

    public Stream StandardInput { get; }

    public Stream StandardOutput { get; }

    public Task<int> Exited => _exited;

    /// <summary>Starts <paramref name="info"/> under a keeper.</summary>
    /// <param name="info">The command.</param>
    /// <param name="keeper">How to start the keeper.</param>
    /// <returns>The running child.</returns>
    public static KeeperChildProcess Start(ChildProcessStartInfo info, KeeperCommand keeper)
    {
        var start = new ProcessStartInfo(keeper.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = info.WorkingDirectory ?? string.Empty,
        };
        foreach (var a in keeper.PrefixArguments)
        {
            start.ArgumentList.Add(a);
        }

        start.ArgumentList.Add(ChildKeeper.Marker);
        start.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(info.FileName);
        foreach (var a in info.Arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in info.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {keeper.FileName}");
        return new KeeperChildProcess(process, info.StandardErrorLine);
    }

    public void CloseStandardInput()
    {
        if (Interlocked.Exchange(ref _inputClosed, 1) == 0)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child is gone already: its stdin is closed either way.
            }
        }
    }

    public void SignalGroup(int signal)
    {
        // Before the keeper called setpgid the group does not exist yet; the keeper itself takes the signal then.
        if (!Posix.SignalGroup(_process.Id, signal) && !_exited.IsCompleted)
        {
            _ = Posix.Kill(_process.Id, signal);
        }
    }

    public async Task<int> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var half = grace / 2;
        try
        {
            CloseStandardInput();
            if (!await ExitsWithinAsync(half, cancellationToken).ConfigureAwait(false))
            {
                SignalGroup(Posix.SigTerm);
                _ = await ExitsWithinAsync(half, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Straight to SIGKILL.
        }

        SignalGroup(Posix.SigKill);
        return await _exited.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.IsCompleted)
        {
            SignalGroup(Posix.SigKill);
        }

        _ = await _exited.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            _ = await _exited.WaitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<int> WaitAsync(Process process, Task stderr)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        var code = process.ExitCode;

        // The keeper is gone; whatever is left of its group (a grandchild that ignored SIGTERM) goes now.
        _ = Posix.SignalGroup(process.Id, Posix.SigKill);
        await stderr.ConfigureAwait(false);
        return code;
    }

    private static async Task PumpStandardErrorAsync(StreamReader reader, Action<string>? onLine)
    {
        // Drained without pause whatever the logger does with it: a child blocked on a full stderr pipe stops answering.
        var buffer = new char[4096];
        var line = new StringBuilder();
        var truncated = false;
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                while (!span.IsEmpty)
                {
                    var newline = span.IndexOf('\n');
                    var part = newline < 0 ? span : span[..newline];
                    var room = MaxStandardErrorLine - line.Length;
                    if (part.Length > room)
                    {
                        truncated = true;
                    }

                    line.Append(part[..Math.Min(part.Length, Math.Max(room, 0))]);
                    if (newline < 0)
                    {
                        break;
                    }

                    Emit(line, truncated, onLine);
                    truncated = false;
                    span = span[(newline + 1)..];
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke with the child.
        }

        if (line.Length > 0)
        {
            Emit(line, truncated, onLine);
        }
    }

    private static void Emit(StringBuilder line, bool truncated, Action<string>? onLine)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        if (truncated)
        {
            line.Append(" …(cut)");
        }

        onLine?.Invoke(line.ToString());
        line.Clear();
    }
}
