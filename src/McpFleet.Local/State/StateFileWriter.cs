namespace McpFleet.Local.State;

/// <summary>
/// Writes a file whole or not at all: a new temp file beside it (<see cref="FileMode.CreateNew"/>, so a symlink or a
/// file planted at that name is never followed or reused), flushed to disk, then renamed over the target (a rename
/// replaces a symlink at the target, it does not write through it).
/// </summary>
/// <remarks>One method on purpose: the shared atomic writer of issue 13 (AtomicFile in Core) replaces this body.</remarks>
internal static class StateFileWriter
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The new content.</param>
    public static void Write(string path, string content)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
