using System.Text;
using McpFleet.Tests;
using Spectre.Console;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests;

/// <summary>What one CLI run left behind.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Out">Everything written to standard output.</param>
/// <param name="Error">Everything written to standard error.</param>
public sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>
/// Base of the CLI test classes: a temp directory and one pair of <see cref="TestConsole"/>s shared by every run of a
/// test, so a test can run several verbs in a row and read what they wrote.
/// </summary>
public abstract class CliHarness : IDisposable
{
    /// <summary>Creates the temp directory.</summary>
    /// <param name="tempPrefix">The prefix of the temp directory's name, to tell leftovers apart.</param>
    protected CliHarness(string tempPrefix) => Temp = Directory.CreateTempSubdirectory(tempPrefix).FullName;

    /// <summary>Gets the full path of the example fleet (examples/sophia-ai).</summary>
    protected static string Example => Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai");

    /// <summary>Gets the temp directory, deleted after the test.</summary>
    protected string Temp { get; }

    /// <summary>Gets the console the verbs write data to.</summary>
    protected TestConsole StdOut { get; } = new();

    /// <summary>Gets the console the verbs write diagnostics to.</summary>
    protected TestConsole StdErr { get; } = new();

    /// <summary>Runs <c>mcpfleet</c> once on fresh consoles, for tests that need only one run.</summary>
    /// <param name="workingDirectory">Relative paths resolve against this.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code and both outputs.</returns>
    public static async Task<CliRun> RunOnceAsync(string workingDirectory, params string[] args)
    {
        using var stdOut = new TestConsole();
        using var stdErr = new TestConsole();
        var exit = InstalledBinary is { } binary
            ? await RunBinaryAsync(binary, args, stdOut, stdErr, workingDirectory, TextReader.Null)
            : await McpFleetCli.RunAsync(args, Context(stdOut, stdErr, workingDirectory), TestContext.Current.CancellationToken);
        return new CliRun(exit, stdOut.Output, stdErr.Output);
    }

    /// <summary>
    /// Gets an installed <c>mcpfleet</c> to run as a process instead of the in-process CLI, from <c>MCPFLEET_CLI</c>: the
    /// same tests then check a published build, such as the Native AOT tool (bench/RESULTS.md).
    /// </summary>
    protected static string? InstalledBinary => Environment.GetEnvironmentVariable("MCPFLEET_CLI") is { Length: > 0 } b ? b : null;

    private static async Task<int> RunBinaryAsync(string binary, string[] args, TestConsole stdOut, TestConsole stdErr, string workingDirectory, TextReader input)
    {
        var result = await ExternalTools.RunAsync(binary, args, stdin: await input.ReadToEndAsync(TestContext.Current.CancellationToken), workingDirectory: workingDirectory, timeout: TimeSpan.FromMinutes(3));
        stdOut.Profile.Out.Writer.Write(result.StandardOutput);
        stdErr.Profile.Out.Writer.Write(result.StandardError);
        return result.ExitCode;
    }

    /// <summary>Builds a context on the given consoles with the system clock and no standard input.</summary>
    /// <param name="stdOut">The data console.</param>
    /// <param name="stdErr">The diagnostics console.</param>
    /// <param name="workingDirectory">Relative paths resolve against this.</param>
    /// <param name="input">Standard input; none when null.</param>
    /// <returns>The context.</returns>
    private protected static CliContext Context(IAnsiConsole stdOut, IAnsiConsole stdErr, string workingDirectory, TextReader? input = null)
    {
        var text = input?.ReadToEnd() ?? "";
        return new(stdOut, stdErr, TimeProvider.System, workingDirectory) { OpenInput = () => new MemoryStream(Encoding.UTF8.GetBytes(text)) };
    }

    /// <summary>Runs <c>mcpfleet</c> on this test's consoles.</summary>
    /// <param name="workingDirectory">Relative paths resolve against this.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    protected Task<int> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, TextReader.Null, args);

    /// <summary>Runs <c>mcpfleet</c> on this test's consoles with the given standard input.</summary>
    /// <param name="workingDirectory">Relative paths resolve against this.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    protected Task<int> RunAsync(string workingDirectory, TextReader input, params string[] args) => InstalledBinary is { } binary
        ? RunBinaryAsync(binary, args, StdOut, StdErr, workingDirectory, input)
        : McpFleetCli.RunAsync(args, Context(StdOut, StdErr, workingDirectory, input), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        StdOut.Dispose();
        StdErr.Dispose();
        Directory.Delete(Temp, recursive: true);
        GC.SuppressFinalize(this);
    }
}
