using McpFleet.Rendering;

namespace McpFleet.Cli;

/// <summary>Writes a whole directory tree so that readers see either the old tree or the new one, never half of it.</summary>
internal static class AtomicDirectory
{
    /// <summary>
    /// Writes <paramref name="files"/> into a temp directory beside <paramref name="target"/>, then renames it into place,
    /// replacing (and deleting) any existing <paramref name="target"/>. On failure or cancellation nothing changes.
    /// </summary>
    /// <param name="target">The final directory.</param>
    /// <param name="files">The files, relative to <paramref name="target"/>.</param>
    /// <param name="cancellationToken">Stops before the rename.</param>
    public static void Write(string target, IEnumerable<ManifestFile> files, CancellationToken cancellationToken)
    {
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} has no parent directory");
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(target);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var temp = Path.Combine(parent, $".{name}.tmp-{suffix}");
        var old = Path.Combine(parent, $".{name}.old-{suffix}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = Path.Combine(temp, file.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(target))
            {
                Directory.Move(target, old);
                try
                {
                    Directory.Move(temp, target);
                }
                catch
                {
                    Directory.Move(old, target);
                    throw;
                }

                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }
}
