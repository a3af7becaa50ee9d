using System.Text;

namespace McpFleet.IO;

/// <summary>
/// Replaces one file atomically: the content goes to a new hidden temp file beside it (created exclusively, so a planted
/// symbolic link is never followed), then one rename puts it in place. Readers see the old file or the new one.
/// </summary>
/// <remarks>Stale temp files of killed runs beside the target are removed first (see <see cref="AtomicDirectory"/>).</remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="content">The text (UTF-8, no byte order mark).</param>
    /// <param name="mode">The Unix permissions of the new file (e.g. owner read/write only for private state); the umask default when null.</param>
    /// <exception cref="OutputRefusedException">The path is a directory.</exception>
    /// <exception cref="IOException">The file system failed; the message names no temp path.</exception>
    public static void Write(string path, string content, UnixFileMode? mode = null)
    {
        using var staged = Stage(path, content, mode);
        staged.Commit();
    }

    /// <summary>
    /// Writes the content to the temp file and stops there: <see cref="StagedFile.Commit"/> renames it into place, and
    /// disposing without a commit leaves the target untouched. Lets a caller stage several outputs, then commit them.
    /// </summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="content">The text (UTF-8, no byte order mark).</param>
    /// <param name="mode">The Unix permissions of the new file; the umask default when null.</param>
    /// <returns>The staged file; dispose it.</returns>
    /// <exception cref="OutputRefusedException">The path is a directory.</exception>
    /// <exception cref="IOException">The file system failed; the message names no temp path.</exception>
    public static StagedFile Stage(string path, string content, UnixFileMode? mode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(content);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OutputRefusedException("is a directory, not a file");
        }

        var parent = Path.GetDirectoryName(full) ?? throw new OutputRefusedException("is the root directory");
        var name = Path.GetFileName(full);
        var temp = Path.Combine(parent, Leftovers.TempName(name));
        try
        {
            Directory.CreateDirectory(parent);
            Leftovers.Clean(parent, name);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = m;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));
            }

            return new StagedFile(full, temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Leftovers.Delete(temp);
            throw new IOException(IoMessages.Reason(e), e);
        }
    }
}
