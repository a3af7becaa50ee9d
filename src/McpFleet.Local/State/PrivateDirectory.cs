using System.Globalization;
using System.Runtime.InteropServices;

namespace McpFleet.Local.State;

/// <summary>
/// The per-user directory of <c>up --local</c>'s state: <c>$XDG_RUNTIME_DIR/mcpfleet</c>, else
/// <c>$TMPDIR/mcpfleet-&lt;uid&gt;</c>. It is created 0700 and, every time it is used, checked without following
/// symlinks to be a real directory owned by this user that nobody else can write or read: in a shared temp
/// directory another user could otherwise create it first and plant symlinks in it.
/// </summary>
internal static partial class PrivateDirectory
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int TypeMask = 0xF000;
    private const int Directory = 0x4000;

    /// <summary>Gets the default directory for this user, from the environment.</summary>
    public static string Default => Choose(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Path.GetTempPath(), UserId);

    /// <summary>Gets this process's effective user id.</summary>
    public static uint UserId => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    /// <summary>Picks the directory: under <paramref name="runtimeDirectory"/> when it is an absolute path, else a per-uid name under the temp directory.</summary>
    /// <param name="runtimeDirectory">The value of <c>XDG_RUNTIME_DIR</c>, or null.</param>
    /// <param name="tempDirectory">The temp directory.</param>
    /// <param name="uid">The user id.</param>
    /// <returns>The directory.</returns>
    public static string Choose(string? runtimeDirectory, string tempDirectory, uint uid) =>
        !string.IsNullOrEmpty(runtimeDirectory) && Path.IsPathFullyQualified(runtimeDirectory)
            ? Path.Combine(runtimeDirectory, "mcpfleet")
            : Path.Combine(tempDirectory, "mcpfleet-" + uid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Creates <paramref name="path"/> 0700 if it does not exist, then checks that it is private.</summary>
    /// <param name="path">The directory.</param>
    /// <exception cref="IOException">It is a symlink, not a directory, someone else's, or open to others; the message says which.</exception>
    public static void Ensure(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path);
        }

        Check(path);
    }

    /// <summary>Checks that an existing <paramref name="path"/> is private; see <see cref="Ensure"/>.</summary>
    /// <param name="path">The directory.</param>
    /// <exception cref="IOException">It is not.</exception>
    public static void Check(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // A per-user temp directory; Unix modes and owners do not apply.
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            // statx is Linux's; elsewhere the mode is checked through .NET (which follows a symlink, so refuse one first).
            if (new DirectoryInfo(path).LinkTarget is not null
                || (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            {
                throw new IOException($"the state directory {path} is not private (a symlink, or open to other users): remove it, or set XDG_RUNTIME_DIR.");
            }

            return;
        }

        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw new IOException($"cannot check the state directory {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        // struct statx is the same on every Linux architecture: stx_uid at 20, stx_mode (16 bits) at 28.
        var uid = BitConverter.ToUInt32(buffer, 20);
        var mode = BitConverter.ToUInt16(buffer, 28);
        var problem = (mode & TypeMask) != Directory ? "is not a directory (a symlink or a file)"
            : uid != UserId ? $"belongs to uid {uid.ToString(CultureInfo.InvariantCulture)}, not to you (uid {UserId.ToString(CultureInfo.InvariantCulture)})"
            : (mode & 0x3F) != 0 ? $"has mode {Convert.ToString(mode & 0x1FF, 8)}, open to other users"
            : null;
        if (problem is not null)
        {
            throw new IOException($"the state directory {path} {problem}: remove it, or set XDG_RUNTIME_DIR to a private directory.");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
