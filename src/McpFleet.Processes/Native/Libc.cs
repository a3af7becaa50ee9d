using System.Runtime.InteropServices;

namespace McpFleet.Processes.Native;

/// <summary>
/// The few POSIX calls <see cref="ChildProcess"/> needs, with the constants that differ between Linux (glibc and musl
/// agree) and macOS. Source-generated marshalling only, so the assembly stays trimmable and Native AOT compatible.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public const int EIntr = 4;
    public const int ESrch = 3;
    public const int EChild = 10;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;

    private const int FGetFd = 1;
    private const int FSetFd = 2;
    private const int FdCloExec = 1;
    private const int FDupFdCloExecLinux = 1030;
    private const int FDupFdCloExecMac = 67;

    private const int AfUnix = 1;
    private const int SockStream = 1;

    // O_CLOEXEC and SOCK_CLOEXEC on Linux: the descriptors are close-on-exec from birth, so a Process.Start on another
    // thread cannot inherit them in between. macOS has neither flag; there the window stays (see Raise).
    private const int CloExecLinux = 0x80000;

    /// <summary>Gets SIGSTOP, which cannot be reset and so is left out of "every signal".</summary>
    public static int SigStop => OperatingSystem.IsMacOS() ? 17 : 19;

    /// <summary>Gets <c>POSIX_SPAWN_SETSID</c> (glibc 2.26+, musl, macOS 10.15+).</summary>
    public static int SpawnSetSid => OperatingSystem.IsMacOS() ? 0x0400 : 0x80;

    /// <summary>Gets <c>POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK</c>, the same on every platform.</summary>
    public static int SpawnResetSignals => 0x04 | 0x08;

    /// <summary>Gets the errno of the last call marked <c>SetLastError</c>.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawnp")]
    public static partial int PosixSpawnP(out int pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(void* fileActions, int fd, byte* path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttributesSetSignalDefault(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    public static partial int SignalSetEmpty(void* signals);

    [LibraryImport(Library, EntryPoint = "sigaddset")]
    public static partial int SignalSetAdd(void* signals, int signal);

    [LibraryImport(Library, EntryPoint = "pipe", SetLastError = true)]
    private static partial int Pipe(int* fds);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport(Library, EntryPoint = "chdir", SetLastError = true)]
    public static partial int ChangeDirectory(byte* path);

    /// <summary>A pipe whose two ends are close-on-exec and above the standard descriptors.</summary>
    /// <returns>The read end and the write end.</returns>
    public static (int Read, int Write) CreatePipe()
    {
        var fds = stackalloc int[2];
        Check(OperatingSystem.IsLinux() ? Pipe2(fds, CloExecLinux) : Pipe(fds), "pipe");
        return (Raise(fds[0]), Raise(fds[1]));
    }

    /// <summary>A connected pair of Unix stream sockets, both close-on-exec and above the standard descriptors.</summary>
    /// <returns>The two ends.</returns>
    public static (int A, int B) CreateSocketPair()
    {
        var fds = stackalloc int[2];
        Check(SocketPair(AfUnix, OperatingSystem.IsLinux() ? SockStream | CloExecLinux : SockStream, 0, fds), "socketpair");
        return (Raise(fds[0]), Raise(fds[1]));
    }

    /// <summary>Marks <paramref name="fd"/> close-on-exec.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>False when <paramref name="fd"/> is not open.</returns>
    public static bool SetCloseOnExec(int fd) => Fcntl(fd, FGetFd, 0) >= 0 && Fcntl(fd, FSetFd, FdCloExec) >= 0;

    /// <summary>
    /// Moves a new descriptor to 10 or above, close-on-exec. <c>pipe</c> and <c>socketpair</c> take no flags on every
    /// platform, and a parent that closed its standard descriptors would get 0–3 back, which the spawn's <c>dup2</c>
    /// onto 0–3 would then clobber or leave close-on-exec.
    /// </summary>
    private static int Raise(int fd)
    {
        var raised = Fcntl(fd, OperatingSystem.IsMacOS() ? FDupFdCloExecMac : FDupFdCloExecLinux, 10);
        var errno = Errno;
        _ = Close(fd);
        if (raised < 0)
        {
            throw new IOException($"fcntl(F_DUPFD_CLOEXEC) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return raised;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(Errno)}");
        }
    }
}
