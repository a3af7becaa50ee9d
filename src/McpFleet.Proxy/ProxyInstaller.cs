namespace McpFleet.Proxy;

/// <summary>
/// <c>mcpfleet-proxy install &lt;dir&gt;</c>: copies this executable into <c>&lt;dir&gt;/mcpfleet-proxy</c>. The proxy image
/// has no shell and no <c>cp</c>, so the init container that puts the proxy into a server's pod runs the proxy itself:
/// <c>/app/mcpfleet-proxy install /mcpfleet</c> (docs/containers.md).
/// </summary>
internal static class ProxyInstaller
{
    /// <summary>The file name written into the directory.</summary>
    public const string FileName = "mcpfleet-proxy";

    /// <summary>Exit code when the copy failed (the directory is missing or not writable).</summary>
    public const int FailedExitCode = 3;

    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Copies <paramref name="source"/> to <c><paramref name="directory"/>/mcpfleet-proxy</c> with mode 0755, through a
    /// temporary file and a rename, so a server container never sees half a binary (an init container restarted after
    /// a kill leaves no torn file either).
    /// </summary>
    /// <param name="source">The executable to copy (<see cref="Environment.ProcessPath"/>).</param>
    /// <param name="directory">The target directory, which must exist (the pod's shared emptyDir).</param>
    /// <returns>The installed path.</returns>
    /// <exception cref="IOException">The directory is missing or the copy failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static string Install(string source, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory} does not exist (mount the pod's shared volume there)");
        }

        var target = Path.Combine(directory, FileName);
        var temporary = Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.tmp");
        try
        {
            File.Copy(source, temporary, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, Executable);
            }

            File.Move(temporary, target, overwrite: true);
            return target;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Runs <c>install &lt;dir&gt;</c>: one line on success or failure.</summary>
    /// <param name="directory">The target directory.</param>
    /// <param name="output">Where the installed path goes.</param>
    /// <param name="error">Where a failure goes.</param>
    /// <returns>0, or <see cref="FailedExitCode"/>.</returns>
    public static int Run(string directory, TextWriter output, TextWriter error)
    {
        var source = Environment.ProcessPath;
        if (source is null)
        {
            error.WriteLine("mcpfleet-proxy: install: the path of this executable is unknown");
            return FailedExitCode;
        }

        try
        {
            output.WriteLine($"installed {Install(source, directory)}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mcpfleet-proxy: install: {e.Message}");
            return FailedExitCode;
        }
    }
}
