namespace McpFleet.Cli.Tests;

/// <summary>The command line itself: parse errors and the one handler of what escapes a verb.</summary>
public sealed class McpFleetCliTests() : CliHarness("mcpfleet-cli-")
{
    [Theory]
    [InlineData(new[] { "rendr", "examples/sophia-ai" }, "error: 'rendr' is not a command of 'mcpfleet'; did you mean 'render'?")]
    [InlineData(new[] { "helm", "valeus", "x" }, "error: 'valeus' is not a command of 'mcpfleet helm'; did you mean 'values'?")]
    [InlineData(new[] { "frobnicate" }, "error: 'frobnicate' is not a command of 'mcpfleet'")]
    public async Task Run_MisspeltVerb_SaysSoOnceWithADidYouMean(string[] args, string message)
    {
        var exit = await RunAsync(Temp, args);

        Assert.Equal(2, exit);
        Assert.Equal([message, $"Run '{message.Split('\'')[3]} --help' for usage."], StdErr.Lines);
    }

    [Fact]
    public async Task Run_MisspeltOption_SuggestsTheOption()
    {
        var exit = await RunAsync(Temp, "render", "f", "--otu", "x");

        Assert.Equal(2, exit);
        Assert.Contains("Unrecognized command or argument '--otu'. Did you mean '--out'?", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ParseErrorQuotingControlCharacters_EscapesThem()
    {
        var exit = await RunAsync(Temp, "rendr\u001b[2J");

        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001b', StdErr.Output);
    }
}
