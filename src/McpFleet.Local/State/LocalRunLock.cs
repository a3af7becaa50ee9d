namespace McpFleet.Local.State;

/// <summary>
/// The one-<c>up</c>-per-fleet lock: an exclusive, non-blocking lock on <c>&lt;hash&gt;.lock</c> in the private state
/// directory (.NET takes <c>flock</c> for <see cref="FileShare.None"/>). The kernel drops it when its process ends,
/// however it ends, so a lock that can be taken means no <c>up</c> of that fleet is alive. The file itself stays:
/// deleting a lock file lets two processes each lock a different inode.
/// </summary>
internal sealed class LocalRunLock : IDisposable
{
    private readonly FileStream _stream;

    private LocalRunLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    /// <param name="path">The lock file.</param>
    /// <returns>The held lock, or null.</returns>
    public static LocalRunLock? TryAcquire(string path)
    {
        try
        {
            return new LocalRunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>
    /// Takes the lock, trying for a moment: another up's <see cref="LocalRunFiles.SweepOthers"/> holds a free fleet's
    /// lock while it deletes that fleet's leftovers, and a start must not mistake that for a running up.
    /// </summary>
    /// <param name="path">The lock file.</param>
    /// <param name="time">The clock of the pauses.</param>
    /// <param name="cancellationToken">Stops trying.</param>
    /// <returns>The held lock, or null when another process still holds it after half a second.</returns>
    public static async Task<LocalRunLock?> TryAcquireAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (TryAcquire(path) is { } held)
            {
                return held;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }

        return TryAcquire(path);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
