using System.Diagnostics;

namespace McpFleet.Tests;

/// <summary>Files that are not regular files, for tests of what a reader refuses: FIFOs, dangling links.</summary>
public static class SpecialFiles
{
    /// <summary>Creates a named pipe with <c>mkfifo</c>.</summary>
    /// <param name="path">Where.</param>
    /// <returns>The path.</returns>
    public static string Fifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>Creates a symbolic link to a path that does not exist (what Emacs leaves as <c>.#file</c>).</summary>
    /// <param name="path">Where.</param>
    /// <returns>The path.</returns>
    public static string DanglingLink(string path)
    {
        File.CreateSymbolicLink(path, "user@host.1234");
        return path;
    }
}
