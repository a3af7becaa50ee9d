using System.Runtime.InteropServices;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>Signals, as the kubelet sends them.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
