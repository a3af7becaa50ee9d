namespace McpFleet.Proxy.Tests;

/// <summary><c>mcpfleet-proxy install &lt;dir&gt;</c>, which a stdio server's init container runs.</summary>
public sealed class ProxyInstallerTests
{
    [Fact]
    public async Task Install_EmptyDirectory_CopiesTheBinaryExecutable()
    {
        var directory = Directory.CreateTempSubdirectory("mcpfleet-install-");
        try
        {
            var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["install", directory.FullName]);

            Assert.Equal(0, result.ExitCode);
            var installed = Path.Combine(directory.FullName, "mcpfleet-proxy");
            Assert.Equal(await File.ReadAllBytesAsync(Children.Proxy, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(installed, TestContext.Current.CancellationToken));
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(installed).HasFlag(UnixFileMode.OtherExecute));
            Assert.Equal(["mcpfleet-proxy"], Directory.GetFiles(directory.FullName).Select(Path.GetFileName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Install_MissingDirectory_Exit3WithOneLine()
    {
        var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["install", "/nonexistent/mcpfleet"]);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("mcpfleet-proxy: install: cannot copy", result.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }
}
