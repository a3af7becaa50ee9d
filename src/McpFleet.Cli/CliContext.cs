using McpFleet.Diagnostics;
using McpFleet.Spec;
using Spectre.Console;

namespace McpFleet.Cli;

/// <summary>
/// What every verb shares: the consoles, the clock, the working directory, standard input, and the one way to report.
/// </summary>
/// <remarks>
/// <para>Verbs take this instead of touching <see cref="Console"/>, so tests run them in-process against a TestConsole.</para>
/// <para>
/// Every line a verb writes to standard error goes through <see cref="Fail"/>, <see cref="Warn"/>, <see cref="Say"/> or
/// <see cref="Report"/>: raw lines (never wrapped at the terminal width, so <c>file:line:col</c> stays parseable) with
/// control characters escaped (<see cref="TerminalText"/>).
/// </para>
/// </remarks>
/// <param name="Out">Results (YAML, JSON, tables). With <c>--out -</c> or <c>--format json</c> this is data only.</param>
/// <param name="Error">Diagnostics and human progress.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="WorkingDirectory">Relative paths resolve against this.</param>
internal sealed record CliContext(IAnsiConsole Out, IAnsiConsole Error, TimeProvider TimeProvider, string WorkingDirectory)
{
    /// <summary>Gets the opener of standard input, for verbs that read <c>-</c> (tests replace it).</summary>
    public Func<Stream> OpenInput { get; init; } = Console.OpenStandardInput;

    /// <summary>Creates the context of a real process: stdout, stderr, the system clock and the current directory.</summary>
    /// <returns>The context.</returns>
    public static CliContext ForProcess() => new(
        StandardConsole(Console.Out, "standard output"),
        StandardConsole(Console.Error, "standard error"),
        TimeProvider.System,
        Directory.GetCurrentDirectory());

    // Spectre detects colour and interactivity by comparing the writer with Console.Out and Console.Error: detect on
    // the real stream, then write through the guard that turns a failed write into StandardStreamException.
    private static IAnsiConsole StandardConsole(TextWriter writer, string name)
    {
        var detected = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) }).Profile.Capabilities;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new StandardStreamOutput(writer, name),
            Ansi = detected.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = (ColorSystemSupport)detected.ColorSystem,
            Interactive = detected.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Resolves a user-given path against <see cref="WorkingDirectory"/>.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The full path.</returns>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>
    /// Shows a full path the way the user wrote its base: absolute when <paramref name="given"/> is absolute, else
    /// relative to <see cref="WorkingDirectory"/>; always with <c>/</c> separators.
    /// </summary>
    /// <param name="path">A full path (the given path itself or a file below it).</param>
    /// <param name="given">The path as the user typed it.</param>
    /// <returns>The path to show.</returns>
    public string Display(string path, string given) =>
        (Path.IsPathRooted(given) ? path : Path.GetRelativePath(WorkingDirectory, path)).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Writes <c>error: message</c> to standard error.</summary>
    /// <param name="message">What went wrong and, where it helps, what to do.</param>
    public void Fail(string message) => Say("error: " + message);

    /// <summary>Writes <c>warning: message</c> to standard error.</summary>
    /// <param name="message">What the user should know.</param>
    public void Warn(string message) => Say("warning: " + message);

    /// <summary>Writes one line of progress or summary to standard error.</summary>
    /// <param name="line">The line.</param>
    public void Say(string line) => Error.Profile.Out.Writer.WriteLine(TerminalText.Escape(line));

    /// <summary>Writes a diagnostic as <c>file:line:col: severity CODE: message</c>, its file shown as the user gave its base.</summary>
    /// <param name="diagnostic">The diagnostic; its file is a full path.</param>
    /// <param name="given">The path the user gave that the file is below (a fleet directory, a compose file).</param>
    public void Report(Diagnostic diagnostic, string given)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        Say(Shown(diagnostic, given).ToString());
    }

    /// <summary>Gets a diagnostic with its file shown as <see cref="Display"/> shows paths.</summary>
    /// <param name="diagnostic">The diagnostic; its file is a full path.</param>
    /// <param name="given">The path the user gave that the file is below.</param>
    /// <returns>The diagnostic to print.</returns>
    public Diagnostic Shown(Diagnostic diagnostic, string given)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return diagnostic with { Location = diagnostic.Location with { File = Display(diagnostic.Location.File, given) } };
    }

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
            Report(diagnostic, directory);
        }

        return loaded.Spec;
    }
}
