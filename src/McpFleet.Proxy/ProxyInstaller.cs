namespace McpFleet.Proxy;

/// <summary>
/// <c>mcpfleet-proxy install &lt;dir&gt;</c>: copies this binary into <c>&lt;dir&gt;/mcpfleet-proxy</c>, executable. The
/// init container of a stdio server's pod runs it from the proxy's image (which has no shell and no <c>cp</c>) to put
/// the proxy into the <c>emptyDir</c> that the server's container runs it from.
/// </summary>
internal static class ProxyInstaller
{
    public const string FileName = "mcpfleet-proxy";

    /// <summary>Exit code of a copy that failed (the directory is missing or not writable).</summary>
    public const int FailedExitCode = 3;

    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Copies the running executable into <paramref name="directory"/>, through a temporary name, so a reader never sees half a file.</summary>
    /// <returns>0, or <see cref="FailedExitCode"/> with one line on <paramref name="error"/>.</returns>
    public static int Install(string directory, TextWriter output, TextWriter error)
    {
        var source = Environment.ProcessPath;
        if (source is null)
        {
            error.WriteLine("mcpfleet-proxy: install: the path of this executable is unknown");
            return FailedExitCode;
        }

        var target = Path.Combine(directory, FileName);
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        try
        {
            File.Copy(source, temporary, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, Executable);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            error.WriteLine($"mcpfleet-proxy: install: cannot copy {source} to {target}: {e.Message}");
            return FailedExitCode;
        }

        output.WriteLine($"mcpfleet-proxy: installed {target}");
        return 0;
    }
}
