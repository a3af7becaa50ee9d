using System.Runtime.InteropServices;

namespace McpFleet.Processes.Native;

/// <summary>What a spawned process gets on one of its descriptors.</summary>
/// <param name="Target">The descriptor in the child (0, 1, 2, 3).</param>
/// <param name="Source">A descriptor of this process to put there, or -1 for <c>/dev/null</c>.</param>
/// <param name="NullFlags">The open flags of <c>/dev/null</c> when <paramref name="Source"/> is -1.</param>
internal readonly record struct SpawnDescriptor(int Target, int Source, int NullFlags = Libc.ORdOnly);

/// <summary>
/// One <c>posix_spawn</c>: the fork and exec happen in libc, with no managed code in between, which is why the new
/// session, the default signal dispositions and the descriptor layout are set through spawn attributes and file
/// actions rather than between a fork and an exec.
/// </summary>
internal static unsafe class Spawn
{
    // posix_spawnattr_t is 336 bytes on glibc x64, a pointer on macOS; file actions 80 bytes and a pointer; sigset_t
    // 128 bytes and 4. One generous zeroed block of each size fits every libc this runs on.
    private const int OpaqueSize = 1024;

    /// <summary>Starts <paramref name="file"/> and returns its pid, or the errno of the failure as a negative number.</summary>
    /// <param name="file">The program: a path, or with <paramref name="searchPath"/> a name looked up on PATH.</param>
    /// <param name="searchPath">Whether to search PATH (<c>posix_spawnp</c>).</param>
    /// <param name="argv">The argument vector, program name first.</param>
    /// <param name="environment">The complete environment as <c>NAME=value</c>.</param>
    /// <param name="descriptors">The descriptors to set; others that are not close-on-exec are inherited.</param>
    /// <param name="newSession">Whether the child leads a new session and process group (<c>POSIX_SPAWN_SETSID</c>).</param>
    /// <returns>The pid, or <c>-errno</c>.</returns>
    public static int Start(string file, bool searchPath, IReadOnlyList<string> argv, IReadOnlyList<string> environment, IReadOnlyList<SpawnDescriptor> descriptors, bool newSession)
    {
        var strings = new List<nint>();
        var fileActions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var mask = NativeMemory.AllocZeroed(OpaqueSize);
        var defaults = NativeMemory.AllocZeroed(OpaqueSize);
        var argvBlock = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        var envBlock = (byte**)NativeMemory.AllocZeroed((nuint)(environment.Count + 1), (nuint)sizeof(nint));
        byte* Utf8(string value)
        {
            var p = Marshal.StringToCoTaskMemUTF8(value);
            strings.Add(p);
            return (byte*)p;
        }

        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                argvBlock[i] = Utf8(argv[i]);
            }

            for (var i = 0; i < environment.Count; i++)
            {
                envBlock[i] = Utf8(environment[i]);
            }

            _ = Libc.FileActionsInit(fileActions);
            _ = Libc.AttributesInit(attributes);
            var devNull = Utf8("/dev/null");
            foreach (var d in descriptors)
            {
                var error = d.Source >= 0
                    ? Libc.FileActionsAddDup2(fileActions, d.Source, d.Target)
                    : Libc.FileActionsAddOpen(fileActions, d.Target, devNull, d.NullFlags, 0);
                if (error != 0)
                {
                    return -error;
                }
            }

            // The child starts with no blocked signal and every signal at its default: the .NET runtime ignores
            // SIGPIPE, and an ignored disposition would survive the exec.
            _ = Libc.SignalSetEmpty(mask);
            _ = Libc.SignalSetEmpty(defaults);
            for (var signal = 1; signal < 32; signal++)
            {
                if (signal != Libc.SigKill && signal != Libc.SigStop)
                {
                    _ = Libc.SignalSetAdd(defaults, signal);
                }
            }

            _ = Libc.AttributesSetSignalMask(attributes, mask);
            _ = Libc.AttributesSetSignalDefault(attributes, defaults);
            var flags = (short)(Libc.SpawnResetSignals | (newSession ? Libc.SpawnSetSid : 0));
            var flagError = Libc.AttributesSetFlags(attributes, flags);
            if (flagError != 0)
            {
                return -flagError;
            }

            var path = Utf8(file);
            var result = searchPath
                ? Libc.PosixSpawnP(out var pid, path, fileActions, attributes, argvBlock, envBlock)
                : Libc.PosixSpawn(out pid, path, fileActions, attributes, argvBlock, envBlock);
            return result == 0 ? pid : -result;
        }
        finally
        {
            _ = Libc.FileActionsDestroy(fileActions);
            _ = Libc.AttributesDestroy(attributes);
            foreach (var p in strings)
            {
                Marshal.FreeCoTaskMem(p);
            }

            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(mask);
            NativeMemory.Free(defaults);
            NativeMemory.Free(argvBlock);
            NativeMemory.Free(envBlock);
        }
    }

    /// <summary>Waits for <paramref name="pid"/> to end, retrying on EINTR.</summary>
    /// <param name="pid">A child of this process.</param>
    /// <returns>The wait status, or null when the child cannot be waited for (already reaped elsewhere).</returns>
    public static int? Wait(int pid)
    {
        while (true)
        {
            if (Libc.WaitPid(pid, out var status, 0) == pid)
            {
                return status;
            }

            if (Libc.Errno != Libc.EIntr)
            {
                return null;
            }
        }
    }
}
