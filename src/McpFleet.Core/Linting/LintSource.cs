using System.IO.Enumeration;
using McpFleet.IO;

namespace McpFleet.Linting;

/// <summary>A YAML input: a path as the user gave it (or <c>&lt;stdin&gt;</c>) and its text.</summary>
/// <param name="Path">The path, used in findings.</param>
/// <param name="Text">The YAML text.</param>
public sealed record LintSource(string Path, string Text)
{
    /// <summary>
    /// Gets why the file could not be read (<see cref="InputFile"/>), or <see langword="null"/>. The linter reports it as
    /// an MCP001 finding at its line and column; the CLI refuses every kind but <see cref="InputErrorKind.NotText"/>.
    /// </summary>
    public InputError? ReadError { get; init; }

    /// <summary>Reads a file, or every <c>*.yaml</c> / <c>*.yml</c> below a directory in ordinal order.</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="shownPath">The path as the user wrote it; findings name files relative to it.</param>
    /// <param name="skipped">
    /// Told about each entry of a directory that is not a regular file (a dangling symbolic link an editor leaves, a
    /// FIFO), which is skipped. Hidden directories (<c>.git</c>, the temp tree of a killed render) are not entered.
    /// </param>
    /// <returns>The sources, or <see langword="null"/> when nothing exists at <paramref name="fullPath"/>.</returns>
    public static IReadOnlyList<LintSource>? FromPath(string fullPath, string shownPath, Action<string, InputError>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(shownPath);
        if (!Directory.Exists(fullPath))
        {
            var read = InputFile.Read(fullPath);
            return read.Error?.Kind == InputErrorKind.Missing ? null : [Of(shownPath, read)];
        }

        var sources = new List<LintSource>();
        foreach (var file in YamlFiles(fullPath))
        {
            var shown = System.IO.Path.Join(shownPath, file).Replace('\\', '/');
            var full = System.IO.Path.Combine(fullPath, file);
            if (InputFile.Check(full) is { Kind: InputErrorKind.NotAFile } refused)
            {
                skipped?.Invoke(shown, refused);
                continue;
            }

            sources.Add(Of(shown, InputFile.Read(full)));
        }

        return sources;
    }

    /// <summary>A source from a read: its text, or an empty text with the reason it could not be read.</summary>
    /// <param name="shownPath">The path used in findings.</param>
    /// <param name="read">The read.</param>
    /// <returns>The source.</returns>
    public static LintSource Of(string shownPath, InputReadResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.Success ? new LintSource(shownPath, read.Text) : new LintSource(shownPath, "") { ReadError = read.Error };
    }

    private static List<string> YamlFiles(string root)
    {
        var files = new FileSystemEnumerable<string>(
            root,
            (ref FileSystemEntry e) => System.IO.Path.GetRelativePath(root, e.ToFullPath()),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory
                && (e.FileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || e.FileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)),
            ShouldRecursePredicate = (ref FileSystemEntry e) => !e.FileName.StartsWith('.'),
        };
        return [.. files.Order(StringComparer.Ordinal)];
    }
}
