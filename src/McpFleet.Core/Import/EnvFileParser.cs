using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>Parses <c>.env</c> and <c>env_file</c> files: <c>KEY=VALUE</c> lines, <c>#</c> comments, optional <c>export</c>, quotes.</summary>
public static class EnvFileParser
{
    /// <summary>One variable of an env file.</summary>
    /// <param name="Name">The name.</param>
    /// <param name="Value">The value (quotes removed), or <see langword="null"/> for a bare <c>KEY</c>.</param>
    /// <param name="Location">Where it was written.</param>
    public sealed record Entry(string Name, string? Value, SourceLocation Location);

    /// <summary>Parses <paramref name="text"/>; malformed lines are errors in <paramref name="diagnostics"/>.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="displayPath">The path used in locations.</param>
    /// <param name="diagnostics">Receives errors.</param>
    /// <returns>The entries in file order (a later duplicate replaces an earlier one when read into a dictionary).</returns>
    public static IReadOnlyList<Entry> Parse(string text, string displayPath, DiagnosticBag diagnostics)
    {
        var entries = new List<Entry>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var location = new SourceLocation(displayPath, n + 1, 1);
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? line : line[..eq]).Trim();
            if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            {
                // The line is not echoed: it may be half a secret.
                diagnostics.Error(ImportCodes.EnvFile, location, "expected KEY=VALUE");
                continue;
            }

            entries.Add(new Entry(name, eq < 0 ? null : Unquote(line[(eq + 1)..].Trim()), location));
        }

        return entries;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            var inner = value[1..^1];
            return value[0] == '"' ? inner.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal) : inner;
        }

        // An unquoted value ends at " #" (an inline comment).
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? value[..comment].TrimEnd() : value;
    }
}
