using System.Runtime.InteropServices;

namespace McpFleet.Upstreams.Processes;

/// <summary>The few libc calls that process groups need; .NET's <see cref="System.Diagnostics.Process"/> has none of them.</summary>
internal static partial class Posix
{
    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>, or to process group <c>-pid</c>.</summary>
    /// <param name="pid">A pid, or a negated process group id.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Moves process <paramref name="pid"/> (0: this one) into group <paramref name="pgid"/> (0: a new group led by it).</summary>
    /// <param name="pid">The process.</param>
    /// <param name="pgid">The group.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    public static partial int SetProcessGroup(int pid, int pgid);

    /// <summary>Returns the parent's pid; it changes when the parent dies and this process is re-parented.</summary>
    /// <returns>The parent pid.</returns>
    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentProcessId();

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="pgid"/>.</summary>
    /// <param name="pgid">The process group (the keeper's pid).</param>
    /// <param name="signal">The signal.</param>
    /// <returns>Whether any process got it (false once the group is empty).</returns>
    public static bool SignalGroup(int pgid, int signal) => pgid > 1 && Kill(-pgid, signal) == 0;
}
