using McpFleet.Cli;
using McpFleet.Rendering;

namespace McpFleet.Cli.Tests;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-atomic-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Write_NewDirectory_WritesEveryFileAndLeavesNoTempDirectory()
    {
        // Arrange
        var target = Path.Combine(_temp, "nested", "out");

        // Act
        AtomicDirectory.Write(target, [new ManifestFile("a.yaml", "a\n"), new ManifestFile("p/b.yaml", "b\n")], TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(target, "a.yaml")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(target, "p", "b.yaml")));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(Path.Combine(_temp, "nested")).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_CancelledMidway_LeavesTheOldTreeUntouched()
    {
        // Arrange
        var target = Path.Combine(_temp, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "old.yaml"), "old");
        using var cts = new CancellationTokenSource();

        // Act: the second file cancels the write after the first one is already in the temp directory.
        IEnumerable<ManifestFile> Files()
        {
            yield return new ManifestFile("new.yaml", "new");
            cts.Cancel();
            yield return new ManifestFile("more.yaml", "more");
        }

        Assert.Throws<OperationCanceledException>(() => AtomicDirectory.Write(target, Files(), cts.Token));

        // Assert
        Assert.Equal(["old.yaml"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ExistingDirectory_IsReplacedWhole()
    {
        // Arrange
        var target = Path.Combine(_temp, "out");
        Directory.CreateDirectory(Path.Combine(target, "phase-9-gone"));
        File.WriteAllText(Path.Combine(target, "phase-9-gone", "x.yaml"), "stale");

        // Act
        AtomicDirectory.Write(target, [new ManifestFile("kustomization.yaml", "k\n")], TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(["kustomization.yaml"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp).Select(Path.GetFileName));
    }
}
