namespace McpFleet.Proxy.Tests;

/// <summary><c>mcpfleet-proxy install &lt;dir&gt;</c>: the init container's copy of the proxy into a pod's shared volume.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProxyInstallerTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mcpfleet-install-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Main_Install_CopiesItsOwnExecutableWithMode0755AndLeavesNoTemporaryFile()
    {
        var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["install", _directory.FullName]);

        var installed = Path.Combine(_directory.FullName, ProxyInstaller.FileName);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal($"installed {installed}", result.StandardOutput.Trim());
        Assert.Equal(await File.ReadAllBytesAsync(Children.Proxy, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(installed, TestContext.Current.CancellationToken));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(installed));
        Assert.Equal([installed], Directory.GetFileSystemEntries(_directory.FullName));
    }

    [Fact]
    public void Install_ExistingFile_ReplacedWhole()
    {
        var source = Path.Combine(_directory.FullName, "source");
        File.WriteAllText(source, "new binary");
        var target = Directory.CreateDirectory(Path.Combine(_directory.FullName, "shared")).FullName;
        File.WriteAllText(Path.Combine(target, ProxyInstaller.FileName), "an old, longer binary that must not leave a tail");

        var installed = ProxyInstaller.Install(source, target);

        Assert.Equal("new binary", File.ReadAllText(installed));
        Assert.Single(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public async Task Main_InstallIntoMissingDirectory_Exit3WithOneLine()
    {
        var missing = Path.Combine(_directory.FullName, "absent");

        var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["install", missing]);

        Assert.Equal(ProxyInstaller.FailedExitCode, result.ExitCode);
        Assert.Equal($"mcpfleet-proxy: install: {missing} does not exist (mount the pod's shared volume there)", result.StandardError.Trim());
        Assert.False(Directory.Exists(missing));
    }
}
