using McpFleet.Spec;
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

    /// <summary>Shows a path relative to <see cref="WorkingDirectory"/> with <c>/</c> separators, as diagnostics print it.</summary>
    /// <param name="path">A full path.</param>
    /// <returns>The path to show.</returns>
    public string Display(string path) => Path.GetRelativePath(WorkingDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Loads and validates the fleet in <paramref name="directory"/>, writing every diagnostic to <see cref="Error"/> the
    /// way <c>mcpfleet validate</c> does: one <c>file:line:col: severity CODE: message</c> line each.
    /// </summary>
    /// <param name="directory">The fleet directory as the user gave it.</param>
    /// <returns>The spec, or <see langword="null"/> when it has errors.</returns>
    public FleetSpec? LoadFleet(string directory)
    {
        var loaded = FleetLoader.Load(Resolve(directory));
        foreach (var diagnostic in loaded.Diagnostics)
        {
            // The raw writer, not Spectre's renderer: a diagnostic stays on one line whatever the console width.
            Error.Profile.Out.Writer.WriteLine(diagnostic with { Location = diagnostic.Location with { File = Display(diagnostic.Location.File) } });
        }

        return loaded.Spec;
    }

    /// <summary>Gets standard input, for verbs that read <c>-</c> (tests replace it).</summary>
    public TextReader Input { get; init; } = Console.In;
}
