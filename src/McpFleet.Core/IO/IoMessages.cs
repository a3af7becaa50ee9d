using System.Text.RegularExpressions;

namespace McpFleet.IO;

/// <summary>Turns a file-system exception into a short reason that names no path (the caller names the user's path).</summary>
/// <remarks>
/// .NET messages quote the path they failed on, which for an atomic write is a temp name the user never chose
/// (<c>Could not find file '/proc/.nope.tmp-e37…'</c>); the reason alone reads right after the user's own path.
/// </remarks>
internal static partial class IoMessages
{
    /// <summary>Gets the reason, e.g. <c>permission denied</c> or <c>No space left on device</c>.</summary>
    /// <param name="e">The exception.</param>
    /// <returns>One line, no path.</returns>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        DirectoryNotFoundException or FileNotFoundException => "no such file or directory, or the file system does not allow creating one there",
        _ => OneLine(Quoted().Replace(e.Message, "")),
    };

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim().TrimEnd('.', ':', ' ');
        return line.Length == 0 ? "an I/O error" : line;
    }

    [GeneratedRegex(@"\s*:?\s*'[^']*'")]
    private static partial Regex Quoted();
}
