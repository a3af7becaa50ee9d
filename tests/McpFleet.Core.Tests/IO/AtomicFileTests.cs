using McpFleet.IO;

namespace McpFleet.Core.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-atomic-file-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Write_ExistingFile_ReplacesItAndLeavesNoTempFile()
    {
        var path = Path.Combine(_temp, "state.json");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["state.json"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_TargetIsASymlink_ReplacesTheLinkNotTheFileItPointsTo()
    {
        // A link planted in a shared directory must not redirect the write (D8).
        var victim = Path.Combine(_temp, "victim");
        File.WriteAllText(victim, "precious");
        var path = Path.Combine(_temp, "state.json");
        File.CreateSymbolicLink(path, victim);

        AtomicFile.Write(path, "new");

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Write_Mode_CreatesTheFileWithThosePermissions()
    {
        var path = Path.Combine(_temp, "private.json");

        AtomicFile.Write(path, "{}", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Stage_DisposedWithoutCommit_LeavesTheTargetUntouched()
    {
        var path = Path.Combine(_temp, "report.md");
        File.WriteAllText(path, "old");

        using (AtomicFile.Stage(path, "new"))
        {
        }

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["report.md"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_Directory_IsRefused()
    {
        var e = Assert.Throws<OutputRefusedException>(() => AtomicFile.Write(_temp, "x"));

        Assert.Equal("is a directory, not a file", e.Message);
    }

    [Fact]
    public void Write_TempFilesOfKilledRuns_AreRemoved()
    {
        var path = Path.Combine(_temp, "report.md");
        File.WriteAllText(Path.Combine(_temp, "report.md.tmp-0123456789abcdef0123456789abcdef"), "half");
        File.WriteAllText(Path.Combine(_temp, ".report.md.tmp-2147483647-0a1b2c3d"), "half");

        AtomicFile.Write(path, "new");

        Assert.Equal(["report.md"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }
}
