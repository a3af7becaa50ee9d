namespace McpFleet.IO;

/// <summary>What an <see cref="AtomicDirectory"/> may replace and what it carries over from the tree it replaces.</summary>
public sealed record AtomicDirectoryOptions
{
    /// <summary>
    /// Gets the check of an existing, non-empty target directory: <see langword="null"/> when it may be replaced, else
    /// the reason it may not (read after the path: <c>exists and is not the output of 'mcpfleet render'</c>).
    /// Without a check, any directory may be replaced.
    /// </summary>
    public Func<string, string?>? MayReplace { get; init; }

    /// <summary>
    /// Gets which files of the replaced tree (paths relative to it, <c>/</c>-separated) are carried into the new tree
    /// when the new tree does not write them itself; by default none. <c>helm values</c> keeps the user's own files.
    /// </summary>
    public Func<string, bool>? Keep { get; init; }
}
