using McpFleet.Local.State;

namespace McpFleet.Local.Tests.State;

/// <summary>Leftovers of killed runs are removed, never those of a running up (D25, up part).</summary>
public sealed class LocalRunFilesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-run-files-");

    public void Dispose() => _dir.Delete(recursive: true);

    private LocalRunFiles Files(string hash)
    {
        var files = new LocalRunFiles(Path.Combine(_dir.FullName, hash + ".json"));
        File.WriteAllText(files.StateFile, "{}");
        Directory.CreateDirectory(Path.Combine(files.RunDirectory, "a"));
        File.WriteAllText(Path.Combine(_dir.FullName, $".{hash}.json.tmp-999999-0123abcd"), "half");
        return files;
    }

    [Fact]
    public void SweepOthers_LeftoversOfKilledRuns_RemovedButNotThoseOfARunningUpNorOwn()
    {
        var own = Files("own");
        var killed = Files("killed");
        var running = Files("running");
        using var held = LocalRunLock.TryAcquire(running.LockFile);
        Assert.NotNull(held);

        var swept = own.SweepOthers();

        Assert.Equal(1, swept);
        Assert.False(File.Exists(killed.StateFile));
        Assert.False(Directory.Exists(killed.RunDirectory));
        Assert.False(File.Exists(Path.Combine(_dir.FullName, ".killed.json.tmp-999999-0123abcd")));
        Assert.True(File.Exists(running.StateFile));
        Assert.True(Directory.Exists(running.RunDirectory));
        Assert.True(File.Exists(own.StateFile));
    }

    [Fact]
    public void TryAcquire_HeldByAnotherOpenFile_ReturnsNull()
    {
        var path = Path.Combine(_dir.FullName, "x.lock");
        using var first = LocalRunLock.TryAcquire(path);

        Assert.NotNull(first);
        Assert.Null(LocalRunLock.TryAcquire(path));
    }
}
