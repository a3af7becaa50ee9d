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

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
