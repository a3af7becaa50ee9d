using System.CommandLine;
using System.CommandLine.Help;
using McpFleet.Tests;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests;

/// <summary>
/// The help of every verb against a golden file under Snapshots/Help/, so a wording or layout change is a reviewed diff.
/// Accept a change with <c>MCPFLEET_UPDATE_GOLDEN=1</c>.
/// </summary>
public sealed class HelpTests
{
    // A fixed width: the default is the terminal's, which differs between a shell and the test runner.
    private const int Width = 120;

    public static TheoryData<string> CommandLines() =>
    [
        "",
        "validate",
        "render",
        "helm values",
        "lint",
        "import compose",
        "deploy",
        "status",
        "smoke",
        "up",
        "down",
    ];

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Help_layout_has_not_changed(string verb)
    {
        // Arrange
        using var stdOut = new TestConsole();
        using var stdErr = new TestConsole();
        var root = McpFleetCli.Build(new CliContext(stdOut, stdErr, TimeProvider.System, Golden.RepoRoot()));
        var help = root.Options.OfType<HelpOption>().Single();
        ((HelpAction)help.Action!).MaxWidth = Width;
        using var output = new StringWriter();
        string[] args = [.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];

        // Act
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output }, TestContext.Current.CancellationToken);

        // Assert: the executable name is the test host's here; the tool is mcpfleet. Wrapped lines end in a space
        // (a System.CommandLine quirk) that editors strip, so trailing blanks are not part of the layout.
        Assert.Equal(0, exit);
        var text = string.Join('\n', output.ToString().Replace(root.Name, "mcpfleet", StringComparison.Ordinal).ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));
        Golden.Match($"Snapshots/Help/{(verb.Length == 0 ? "root" : verb.Replace(' ', '-'))}.txt", text);
    }
}
