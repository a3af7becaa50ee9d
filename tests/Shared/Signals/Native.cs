using System.Runtime.InteropServices;

namespace McpFleet.Tests;

/// <summary>Signals, as the kubelet sends them (for the test projects that start servers as processes; they set AllowUnsafeBlocks for the generated P/Invoke).</summary>
internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Freezes a process (Linux x86-64 and arm64): it keeps its sockets but answers nothing, as a hung server does.</summary>
    public const int SigStop = 19;

    /// <summary>Lets a frozen process run again.</summary>
    public const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
