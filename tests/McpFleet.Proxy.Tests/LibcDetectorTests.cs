namespace McpFleet.Proxy.Tests;

/// <summary>glibc or musl in a root filesystem, by the loaders, without ldd.</summary>
public sealed class LibcDetectorTests
{
    [Theory]
    [InlineData("lib64/ld-linux-x86-64.so.2", "Glibc")]
    [InlineData("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "Glibc")]
    [InlineData("lib/ld-musl-x86_64.so.1", "Musl")]
    [InlineData("etc/os-release", "Unknown")]
    public void Detect_FakeRoot_ByItsLoader(string file, string expected)
    {
        var root = Directory.CreateTempSubdirectory("mcpfleet-libc-");
        try
        {
            var path = Path.Combine(root.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Empty);
            Assert.Equal(expected, LibcDetector.Detect(root.FullName).ToString());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Detect_ThisMachine_Glibc() => Assert.Equal(Libc.Glibc, LibcDetector.Detect("/"));

    [Fact]
    public async Task CheckLibc_MuslRoot_Exit1WithTheFix()
    {
        var root = Directory.CreateTempSubdirectory("mcpfleet-libc-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "lib"));
            File.WriteAllText(Path.Combine(root.FullName, "lib", "ld-musl-x86_64.so.1"), string.Empty);
            var result = await McpFleet.Tests.ExternalTools.RunAsync(Children.Proxy, ["check-libc", root.FullName]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("musl (Alpine): mcpfleet-proxy needs glibc", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
