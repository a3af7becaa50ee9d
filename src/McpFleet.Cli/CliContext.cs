using Spectre.Console;

namespace McpFleet.Cli;

/// <summary>What every verb writes to and reads from: the consoles, the clock and the working directory.</summary>
/// <remarks>Verbs take this instead of touching <see cref="Console"/>, so tests run them in-process against a TestConsole.</remarks>
/// <param name="Out">Results (YAML, JSON, tables). With <c>--out -</c> or <c>--format json</c> this is data only.</param>
/// <param name="Error">Diagnostics and human progress.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="WorkingDirectory">Relative paths resolve against this.</param>
internal sealed record CliContext(IAnsiConsole Out, IAnsiConsole Error, TimeProvider TimeProvider, string WorkingDirectory)
{
    /// <summary>Creates the context of a real process: stdout, stderr, the system clock and the current directory.</summary>
    /// <returns>The context.</returns>
    public static CliContext ForProcess() => new(
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }),
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
        TimeProvider.System,
        Directory.GetCurrentDirectory());

    /// <summary>Resolves a user-given path against <see cref="WorkingDirectory"/>.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The full path.</returns>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Gets standard input, for verbs that read <c>-</c> (tests replace it).</summary>
    public TextReader Input { get; init; } = Console.In;
}
