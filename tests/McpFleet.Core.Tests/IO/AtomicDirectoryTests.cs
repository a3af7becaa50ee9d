using McpFleet.IO;

namespace McpFleet.Core.Tests.IO;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-atomic-").FullName;

    private string Out => Path.Combine(_temp, "out");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Write_NewDirectory_WritesEveryFileAndLeavesNoTempDirectory()
    {
        // Arrange
        var target = Path.Combine(_temp, "nested", "out");

        // Act
        Write(target, ("a.yaml", "a\n"), ("p/b.yaml", "b\n"));

        // Assert
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(target, "a.yaml")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(target, "p", "b.yaml")));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(Path.Combine(_temp, "nested")).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_CancelledMidway_LeavesTheOldTreeUntouched()
    {
        // Arrange
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "old.yaml"), "old");

        // Act: a run that stops after the first file (cancelled, or an exception) disposes without committing.
        using (var tree = AtomicDirectory.Begin(Out))
        {
            tree.WriteFile("new.yaml", "new");
        }

        // Assert
        Assert.Equal(["old.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ExistingDirectory_IsReplacedWhole()
    {
        // Arrange
        Directory.CreateDirectory(Path.Combine(Out, "phase-9-gone"));
        File.WriteAllText(Path.Combine(Out, "phase-9-gone", "x.yaml"), "stale");

        // Act
        var removed = Write(Out, ("kustomization.yaml", "k\n"));

        // Assert
        Assert.Equal(["kustomization.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
        Assert.Equal(["phase-9-gone/x.yaml"], removed);
    }

    [Fact]
    public void Commit_ExistingDirectory_SwapsWithRenameExchangeSoTheTargetNeverDisappears()
    {
        // Arrange: the exchange itself, on this file system.
        var a = Directory.CreateDirectory(Path.Combine(_temp, "a")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(_temp, "b")).FullName;
        File.WriteAllText(Path.Combine(a, "from-a"), "");

        // Act
        var result = NativeFiles.ExchangeAt(a, b);

        // Assert: Linux exchanges in one step (the fallback's two renames are the only other way).
        Assert.Equal(NativeFiles.SwapResult.Done, result);
        Assert.True(File.Exists(Path.Combine(b, "from-a")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(a));
    }

    [Fact]
    public void Begin_RootDirectory_IsRefused()
    {
        var e = Assert.Throws<OutputRefusedException>(() => AtomicDirectory.Begin("/"));

        Assert.Equal("is the root directory", e.Message);
    }

    [Fact]
    public void Begin_TargetIsAFile_IsRefusedAndLeftAlone()
    {
        File.WriteAllText(Out, "mine");

        var e = Assert.Throws<OutputRefusedException>(() => AtomicDirectory.Begin(Out));

        Assert.Equal("is a file, not a directory", e.Message);
        Assert.Equal("mine", File.ReadAllText(Out));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Begin_DanglingSymlink_IsRefusedNamingTheLinkTarget()
    {
        File.CreateSymbolicLink(Out, "nowhere");

        var e = Assert.Throws<OutputRefusedException>(() => AtomicDirectory.Begin(Out));

        Assert.Equal("is a symbolic link to 'nowhere', which does not exist", e.Message);
    }

    [Fact]
    public void Commit_SymlinkToEarlierOutput_ReplacesTheDirectoryItNamesAndKeepsTheLink()
    {
        // Arrange
        var real = Path.Combine(_temp, "renders", "v1");
        Write(real, ("old.yaml", "old"));
        File.CreateSymbolicLink(Out, real);

        // Act
        Write(Out, ("new.yaml", "new"));

        // Assert
        Assert.Equal(real, new FileInfo(Out).LinkTarget);
        Assert.Equal(["new.yaml"], Directory.EnumerateFileSystemEntries(real).Select(Path.GetFileName));
        Assert.Equal(["v1"], Directory.EnumerateFileSystemEntries(Path.Combine(_temp, "renders")).Select(Path.GetFileName));
    }

    [Fact]
    public void Begin_MayReplaceSaysNo_RefusesWithItsReasonAndWritesNothing()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");

        var e = Assert.Throws<OutputRefusedException>(() => AtomicDirectory.Begin(Out, new AtomicDirectoryOptions { MayReplace = _ => "is not mine" }));

        Assert.Equal("is not mine", e.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Begin_EmptyDirectory_IsReplacedWithoutAskingMayReplace()
    {
        Directory.CreateDirectory(Out);

        using var tree = AtomicDirectory.Begin(Out, new AtomicDirectoryOptions { MayReplace = _ => "never" });
        tree.WriteFile("a", "a");
        tree.Commit();

        Assert.True(File.Exists(Path.Combine(Out, "a")));
    }

    [Fact]
    public void Commit_KeepOption_CarriesTheUsersFilesIntoTheNewTree()
    {
        // Arrange
        Write(Out, ("generated.yaml", "old"), ("stale.yaml", "old"));
        File.WriteAllText(Path.Combine(Out, "mine.yaml"), "mine");

        // Act
        IReadOnlyList<string> removed;
        using (var tree = AtomicDirectory.Begin(Out, new AtomicDirectoryOptions { Keep = f => f == "mine.yaml" }))
        {
            tree.WriteFile("generated.yaml", "new");
            removed = tree.Commit();
        }

        // Assert
        Assert.Equal(["generated.yaml", "mine.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out, "mine.yaml")));
        Assert.Equal(["stale.yaml"], removed);
    }

    [Fact]
    public void Rollback_AfterCommit_PutsTheOldTreeBack()
    {
        Write(Out, ("old.yaml", "old"));

        using (var tree = AtomicDirectory.Begin(Out))
        {
            tree.WriteFile("new.yaml", "new");
            tree.Commit();
            tree.Rollback();
        }

        Assert.Equal(["old.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Begin_LeftoversOfKilledRuns_AreRemovedButNotThoseOfLiveRuns()
    {
        // Arrange: what killed runs of this and earlier versions leave beside the target, plus a run still writing.
        Write(Out, ("a", "a"));
        var dead = DeadPid();
        string[] stale =
        [
            $".out.tmp-{dead}-0a1b2c3d", $".out.old-{dead}-0a1b2c3d", ".out.tmp-0123456789ab", ".out.old-0123456789ab",
            ".out.import-0123456789abcdef0123456789abcdef", ".out.old-0123456789abcdef0123456789abcdef",
        ];
        foreach (var name in stale)
        {
            Directory.CreateDirectory(Path.Combine(_temp, name, "phase-1"));
        }

        var live = Directory.CreateDirectory(Path.Combine(_temp, $".out.tmp-{Environment.ProcessId}-0a1b2c3d")).Name;
        var other = Directory.CreateDirectory(Path.Combine(_temp, $".other.tmp-{dead}-0a1b2c3d")).Name;

        // Act
        Write(Out, ("b", "b"));

        // Assert
        Assert.Equal([other, live, "out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Begin_TargetMissingAndOldTreeLeftByAKilledFallbackSwap_PutsTheOldTreeBack()
    {
        // Arrange: killed between "target aside" and "temp in" (the fallback where RENAME_EXCHANGE is missing).
        var dead = DeadPid();
        var aside = Directory.CreateDirectory(Path.Combine(_temp, $".out.old-{dead}-0a1b2c3d")).FullName;
        File.WriteAllText(Path.Combine(aside, "old.yaml"), "old");
        var half = Directory.CreateDirectory(Path.Combine(_temp, $".out.tmp-{dead}-1a1b2c3d")).FullName;
        File.WriteAllText(Path.Combine(half, "half.yaml"), "half");

        // Act: a run that is refused still restores (the restore comes first).
        Assert.Throws<OutputRefusedException>(() => AtomicDirectory.Begin(Out, new AtomicDirectoryOptions { MayReplace = _ => "no" }));

        // Assert
        Assert.Equal(["old.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Begin_PerFileTempsOfEarlierHelmValues_AreRemovedFromTheTarget()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, ".gong.yaml.0123456789abcdef0123456789abcdef.tmp"), "half");
        File.WriteAllText(Path.Combine(Out, ".keep.yaml"), "mine");

        using (AtomicDirectory.Begin(Out))
        {
        }

        Assert.Equal([".keep.yaml"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteFile_PathLeavingTheTree_Throws()
    {
        using var tree = AtomicDirectory.Begin(Out);

        Assert.Throws<ArgumentException>(() => tree.WriteFile("../escape", "x"));
        Assert.False(File.Exists(Path.Combine(_temp, "escape")));
    }

    [Fact]
    public void Begin_ParentThatCannotHoldDirectories_FailsWithAReasonThatNamesNoTempPath()
    {
        var e = Assert.Throws<IOException>(() => AtomicDirectory.Begin("/proc/mcpfleet-nope"));

        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/proc", e.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Write(string target, params (string Path, string Content)[] files)
    {
        using var tree = AtomicDirectory.Begin(target);
        foreach (var (path, content) in files)
        {
            tree.WriteFile(path, content);
        }

        return tree.Commit();
    }

    // A pid that no process has: above the kernel's pid_max.
    private static int DeadPid() => int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max"), System.Globalization.CultureInfo.InvariantCulture) + 1;
}
