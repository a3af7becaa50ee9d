using System.CommandLine;

namespace McpFleet.Cli.Commands;

/// <summary>
/// The output-format option, the same in every verb that has one: <c>--format</c>, or <c>-o</c> as kubectl and helm
/// spell it. Directories are always <c>--out</c>, so <c>-o</c> never means a path.
/// </summary>
internal static class FormatOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="description">What each format prints.</param>
    /// <param name="formats">The accepted formats; the first is the default.</param>
    /// <returns>The option.</returns>
    public static Option<string> Create(string description, params string[] formats) => new Option<string>("--format", "-o")
    {
        Description = description,
        DefaultValueFactory = _ => formats[0],
    }.AcceptOnlyFromAmong(formats);
}
