namespace McpFleet.IO;

/// <summary>A file written to its temp name by <see cref="AtomicFile.Stage"/>, waiting to be renamed into place.</summary>
public sealed class StagedFile : IDisposable
{
    private readonly string _temp;
    private bool _committed;

    internal StagedFile(string path, string temp)
    {
        Path = path;
        _temp = temp;
    }

    /// <summary>Gets the full path of the target file.</summary>
    public string Path { get; }

    /// <summary>Renames the temp file over the target in one step.</summary>
    /// <exception cref="IOException">The rename failed; the target is unchanged.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        try
        {
            File.Move(_temp, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(IoMessages.Reason(e), e);
        }

        _committed = true;
    }

    /// <summary>Removes the temp file when it was not committed.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            Leftovers.Delete(_temp);
            _committed = true;
        }
    }
}
