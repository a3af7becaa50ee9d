using System.Runtime.InteropServices;

namespace McpFleet.IO;

/// <summary>The two Linux system calls .NET does not expose: an atomic directory swap and a file-type query.</summary>
/// <remarks>
/// Both are optional: on other systems, or where the kernel or file system lacks them, callers fall back to managed
/// code with a weaker guarantee (see <see cref="AtomicDirectory"/>).
/// </remarks>
internal static partial class NativeFiles
{
    private const int AtFdCwd = -100;
    private const uint RenameNoReplace = 1;
    private const uint RenameExchange = 2;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int Enoent = 2;
    private const int Eacces = 13;
    private const int Eexist = 17;
    private const int Enotdir = 20;
    private const int Einval = 22;
    private const int Enotempty = 39;
    private const int Eloop = 40;
    private const int Enosys = 38;
    private const int Eopnotsupp = 95;

    /// <summary>What a path names, as <c>statx</c> reports it.</summary>
    public enum Kind
    {
        /// <summary>Nothing: the path does not exist.</summary>
        Missing,

        /// <summary>A regular file.</summary>
        Regular,

        /// <summary>A directory.</summary>
        Directory,

        /// <summary>A named pipe.</summary>
        Pipe,

        /// <summary>A character device such as <c>/dev/zero</c>.</summary>
        CharacterDevice,

        /// <summary>A block device.</summary>
        BlockDevice,

        /// <summary>A Unix socket.</summary>
        Socket,

        /// <summary>A symbolic link whose target does not exist.</summary>
        DanglingLink,

        /// <summary>Symbolic links that point at each other.</summary>
        LinkLoop,

        /// <summary>The path cannot be examined (permission denied on a parent).</summary>
        Inaccessible,
    }

    /// <summary>How a swap or rename ended.</summary>
    public enum SwapResult
    {
        /// <summary>Done.</summary>
        Done,

        /// <summary>The kernel or file system cannot do it; use the managed fallback.</summary>
        Unsupported,

        /// <summary>The destination exists (only for <see cref="RenameNoReplaceAt"/>).</summary>
        Exists,
    }

    /// <summary>Tells what <paramref name="path"/> names, following symbolic links, and its size in bytes.</summary>
    /// <param name="path">The path.</param>
    /// <param name="size">The size of a regular file, else 0.</param>
    /// <returns>The kind, or <see langword="null"/> when <c>statx</c> is not available here.</returns>
    public static Kind? TryStat(string path, out long size)
    {
        size = 0;
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType | StatxSize, buffer) != 0)
            {
                return Marshal.GetLastPInvokeError() switch
                {
                    Enoent when Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0 => Kind.DanglingLink,
                    Enoent or Enotdir => Kind.Missing,
                    Eloop => Kind.LinkLoop,
                    Eacces => Kind.Inaccessible,
                    _ => null,
                };
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx is laid out the same on every architecture (native byte order): stx_mode (u16) at 28,
        // stx_size (u64) at 40.
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);

        var kind = (mode & 0xF000) switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x1000 => Kind.Pipe,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            0xC000 => Kind.Socket,
            _ => Kind.Regular,
        };
        if (kind == Kind.Regular)
        {
            size = (long)MemoryMarshal.Read<ulong>(buffer[40..]);
        }

        return kind;
    }

    /// <summary>Swaps two existing directories in one step (<c>renameat2(RENAME_EXCHANGE)</c>).</summary>
    /// <param name="a">One path.</param>
    /// <param name="b">The other path.</param>
    /// <returns>Done, or unsupported here.</returns>
    /// <exception cref="IOException">Any other failure.</exception>
    public static SwapResult ExchangeAt(string a, string b) => Rename(a, b, RenameExchange);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> only when <paramref name="to"/> does not exist.</summary>
    /// <param name="from">The source.</param>
    /// <param name="to">The destination.</param>
    /// <returns>Done, exists, or unsupported here.</returns>
    /// <exception cref="IOException">Any other failure.</exception>
    public static SwapResult RenameNoReplaceAt(string from, string to) => Rename(from, to, RenameNoReplace);

    private static SwapResult Rename(string from, string to, uint flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            return SwapResult.Unsupported;
        }

        try
        {
            if (RenameAt2(AtFdCwd, from, AtFdCwd, to, flags) == 0)
            {
                return SwapResult.Done;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return SwapResult.Unsupported;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            Einval or Enosys or Eopnotsupp => SwapResult.Unsupported,
            Eexist or Enotempty when flags == RenameNoReplace => SwapResult.Exists,
            Eacces => throw new UnauthorizedAccessException(Marshal.GetPInvokeErrorMessage(errno)),
            _ => throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
        };
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);
}
