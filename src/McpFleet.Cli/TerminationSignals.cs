using System.Runtime.InteropServices;

namespace McpFleet.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for the whole process. The first one cancels <see cref="Token"/>: the running verb
/// cleans up and exits (<c>up --local</c> drains its servers within their grace period). A second one is not
/// cancelled, so its default action ends the process at once; <c>up --local</c>'s servers then die with it, because
/// each runs under a <see cref="McpFleet.Processes.ChildProcess"/> that kills its process group when its parent is gone.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    /// <summary>Registers the handlers.</summary>
    /// <param name="error">Where the second signal says what happens.</param>
    public TerminationSignals(TextWriter error)
    {
        _error = error;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Gets the token that the first signal cancels.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            context.Cancel = true;
            // Off the signal thread: cancellation callbacks run the verb's clean-up.
            _ = _cancellation.CancelAsync();
            return;
        }

        _error.WriteLine($"{context.Signal} again: stopping now without waiting");
    }
}
