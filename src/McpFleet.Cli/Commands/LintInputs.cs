using McpFleet.IO;
using McpFleet.Linting;

namespace McpFleet.Cli.Commands;

/// <summary>
/// The inputs of <c>lint</c>: files and directories (<see cref="LintSource.FromPath"/>) and <c>-</c> for standard input.
/// </summary>
/// <remarks>
/// A directory entry that is not a regular file is skipped with a warning. A file that cannot be read (a FIFO named on
/// the command line, over the size limit, permission denied) stops the run with exit 2; bytes that are not text are an
/// MCP001 finding at their position, like a YAML syntax error.
/// </remarks>
internal static class LintInputs
{
    /// <summary>Adds the sources of one command-line path.</summary>
    /// <param name="context">Where to report.</param>
    /// <param name="path">The path as given, or <c>-</c>.</param>
    /// <param name="sources">Receives the sources.</param>
    /// <param name="cancellationToken">Stops waiting for standard input.</param>
    /// <returns><see langword="false"/> after an error (exit 2).</returns>
    public static async Task<bool> CollectAsync(CliContext context, string path, List<LintSource> sources, CancellationToken cancellationToken)
    {
        IReadOnlyList<LintSource>? found;
        if (path == "-")
        {
            found = [LintSource.Of("<stdin>", await InputFile.ReadAsync(context.OpenInput(), InputFile.DefaultMaxBytes, cancellationToken).ConfigureAwait(false))];
        }
        else
        {
            found = LintSource.FromPath(context.Resolve(path), path, (shown, why) => context.Warn($"skipped {shown}: it {why.Message}"));
        }

        if (found is null)
        {
            context.Fail($"{path}: no such file or directory");
            return false;
        }

        if (found.FirstOrDefault(s => s.ReadError is { Kind: not InputErrorKind.NotText }) is { } unreadable)
        {
            context.Fail($"{unreadable.Path}: {unreadable.ReadError!.Message}");
            return false;
        }

        sources.AddRange(found);
        return true;
    }
}
