using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>Kubeconfig problems: each is one line and exit 2, never a stack trace (D16).</summary>
public sealed class ClusterConnectionTests() : CliHarness("mcpfleet-kubeconfig-")
{
    [Theory]
    [InlineData("garbage: [\n", "error: cannot read the kubeconfig {0}:2:1: not valid YAML: ")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: 5\n", "error: cannot read the kubeconfig {0}:3:1: not a valid kubeconfig (a field has the wrong type: ")]
    [InlineData("", "error: cannot read the kubeconfig {0}: the file is empty")]
    [InlineData("   \n", "error: cannot read the kubeconfig {0}: the file is empty")]
    public async Task Status_UnreadableKubeconfig_OneLineAndExitTwo(string content, string message)
    {
        // Arrange
        var kubeconfig = Path.Combine(Temp, "kc");
        await File.WriteAllTextAsync(kubeconfig, content, TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "status", Example, "--kubeconfig", kubeconfig);

        // Assert
        Assert.Equal(2, exit);
        Assert.Single(StdErr.Lines);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, kubeconfig), StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_KubeconfigThatIsAFifo_IsRefusedWithoutBlocking()
    {
        var kubeconfig = SpecialFiles.Fifo(Path.Combine(Temp, "kc"));

        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", kubeconfig).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal([$"error: cannot read the kubeconfig {kubeconfig}: the file is a named pipe (FIFO), not a regular file"], StdErr.Lines);
    }
}
