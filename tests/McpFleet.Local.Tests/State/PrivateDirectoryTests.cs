using System.Diagnostics;
using System.Globalization;
using McpFleet.IO;
using McpFleet.Local.State;

namespace McpFleet.Local.Tests.State;

/// <summary>The state directory is private: per user, 0700, owner and mode checked, symlinks not followed (D8).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-private-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Child(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void Choose_RuntimeDirectorySet_UsesMcpfleetUnderIt() =>
        Assert.Equal("/run/user/1000/mcpfleet", PrivateDirectory.Choose("/run/user/1000", "/tmp/", 1000));

    [Fact]
    public void Choose_NoOrRelativeRuntimeDirectory_UsesAPerUserNameUnderTemp()
    {
        Assert.Equal("/tmp/mcpfleet-1000", PrivateDirectory.Choose(null, "/tmp/", 1000));
        Assert.Equal("/tmp/mcpfleet-1000", PrivateDirectory.Choose("relative", "/tmp/", 1000));
    }

    [Fact]
    public void DefaultPath_StateFile_IsInTheUsersPrivateDirectory() =>
        Assert.Equal(PrivateDirectory.Default, Path.GetDirectoryName(LocalState.DefaultPath("/some/fleet")));

    [Fact]
    public void Ensure_NewDirectory_CreatedWithMode0700()
    {
        PrivateDirectory.Ensure(Child("state"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Child("state")));
    }

    [Fact]
    public void Ensure_ExistingDirectoryOpenToOthers_RefusedNamingTheMode()
    {
        Directory.CreateDirectory(Child("shared"));
        File.SetUnixFileMode(Child("shared"), (UnixFileMode)0b111_111_111);

        var e = Assert.Throws<IOException>(() => PrivateDirectory.Ensure(Child("shared")));

        Assert.Equal($"the state directory {Child("shared")} has mode 777, open to other users: remove it, or set XDG_RUNTIME_DIR to a private directory.", e.Message);
    }

    [Fact]
    public void Ensure_SymlinkToAPrivateDirectory_RefusedAndNotFollowed()
    {
        PrivateDirectory.Ensure(Child("real"));
        File.CreateSymbolicLink(Child("link"), Child("real"));

        var e = Assert.Throws<IOException>(() => PrivateDirectory.Ensure(Child("link")));

        Assert.Contains("is not a directory (a symlink or a file)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_DirectoryOfAnotherUser_Refused()
    {
        string path;
        if (PrivateDirectory.UserId == 0)
        {
            // As root: a 0700 directory handed to nobody (65534), as another user would have created it first.
            path = Child("theirs");
            PrivateDirectory.Ensure(path);
            using var chown = Process.Start("chown", ["65534", path]);
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
        else
        {
            path = "/";
        }

        var e = Assert.Throws<IOException>(() => PrivateDirectory.Check(path));

        Assert.Contains($"not to you (uid {PrivateDirectory.UserId.ToString(CultureInfo.InvariantCulture)})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SymlinkAtTheTarget_ReplacedWithoutWritingThroughIt()
    {
        var victim = Child("victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(Child("state.json"), victim);

        new LocalState("f", _dir.FullName, Environment.ProcessId, []).Write(Child("state.json"));

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Child("state.json")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Child("state.json")));
        Assert.Equal(["state.json", "victim"], Directory.EnumerateFileSystemEntries(_dir.FullName).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Read_StateDirectoryOpenToOthers_ThrowsInsteadOfTrustingIt()
    {
        Directory.CreateDirectory(Child("shared"));
        File.SetUnixFileMode(Child("shared"), (UnixFileMode)0b111_111_111);
        File.WriteAllText(Path.Combine(Child("shared"), "x.json"), "{}");

        Assert.Throws<IOException>(() => LocalState.Read(Path.Combine(Child("shared"), "x.json")));
    }
}
