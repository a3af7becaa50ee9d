using McpFleet.Credentials;
using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>What every service mapping of one import shares.</summary>
internal sealed class ImportContext(Interpolator interpolator, DiagnosticBag errors, string secretPrefix, string baseDirectory, IReadOnlyDictionary<string, string> fullPaths, IReadOnlyDictionary<string, string[]> sourceLines)
{
    // Values an env file holds that are plainly settings, never credentials.
    private static readonly HashSet<string> s_settingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "trace", "debug", "info", "information", "notice", "warn", "warning", "error", "fatal", "critical", "verbose",
        "silent", "dev", "development", "test", "staging", "stage", "prod", "production", "local",
    };

    /// <summary>Gets the interpolator.</summary>
    public Interpolator Interpolator { get; } = interpolator;

    /// <summary>Gets the errors that stop the import.</summary>
    public DiagnosticBag Errors { get; } = errors;

    /// <summary>Gets the first part of every remoteRef.</summary>
    public string SecretPrefix { get; } = secretPrefix;

    /// <summary>Gets or sets the merged top-level <c>secrets</c>.</summary>
    public ComposeMap? TopSecrets { get; set; }

    /// <summary>Gets the Compose service names: URLs that name them are in-fleet, not egress.</summary>
    public HashSet<string> ServiceNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the values of <c>ENVIRONMENT</c> seen in services.</summary>
    public List<(string Value, SourceLocation Location)> Environments { get; } = [];

    /// <summary>
    /// Tells whether a variable's value comes from the env file and could be a credential: anything but a boolean, a
    /// small integer, a log level or an environment name. The env file holds deployment values, so the import treats
    /// the others as credentials.
    /// </summary>
    /// <param name="variable">The variable name.</param>
    /// <returns><see langword="true"/> when the env file sets it to such a value.</returns>
    public bool FromEnvFile(string variable) =>
        Interpolator.Variables.TryGetValue(variable, out var value) && !CredentialClassifier.IsInert(value) && !s_settingWords.Contains(value.Trim());

    /// <summary>
    /// Quotes <paramref name="text"/> (read from <paramref name="node"/>) for a report row, unless the node holds a value
    /// from the env file or anything credential-like: then the row says a value is not shown.
    /// </summary>
    /// <param name="node">Where the text was read.</param>
    /// <param name="text">The text to quote.</param>
    /// <returns><c>`text`</c>, or a note that it is not shown.</returns>
    public string Quote(ComposeNode node, string text) =>
        ComposeNode.Scalars(node).Any(s => s.Variables.Any(FromEnvFile) || CredentialClassifier.ValueReason(s.Text) is not null) || CredentialClassifier.ValueReason(text) is not null
            ? "(a value not shown: it comes from the env file or looks like a credential)"
            : $"`{text}`";

    /// <summary>Finds the text of the line a location points at, e.g. to read its comment.</summary>
    /// <param name="location">The location in a Compose file.</param>
    /// <returns>The line, or an empty string.</returns>
    public string SourceLine(SourceLocation location) =>
        sourceLines.TryGetValue(location.File, out var lines) && location.Line >= 1 && location.Line <= lines.Length ? lines[location.Line - 1] : "";

    /// <summary>Formats a full path the way the report shows it: relative to the base directory when it is below it.</summary>
    /// <param name="fullPath">The full path.</param>
    /// <returns>The display path.</returns>
    public string Display(string fullPath) => DisplayPath(baseDirectory, fullPath);

    /// <summary>Formats a full path relative to <paramref name="baseDirectory"/> when it is below it, else as it is.</summary>
    /// <param name="baseDirectory">The base directory.</param>
    /// <param name="fullPath">The full path.</param>
    /// <returns>The display path.</returns>
    public static string DisplayPath(string baseDirectory, string fullPath)
    {
        // A file outside the base directory is shown as it is, not as ../../../proc/self/mem.
        var relative = Path.GetRelativePath(baseDirectory, fullPath).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) ? fullPath.Replace('\\', '/') : relative;
    }

    /// <summary>Resolves a path written in a Compose file relative to that file's directory.</summary>
    /// <param name="displayFile">The display path of the Compose file.</param>
    /// <param name="path">The path as written.</param>
    /// <returns>The full path.</returns>
    public string ResolveRelative(string displayFile, string path)
    {
        var file = fullPaths.TryGetValue(displayFile, out var full) ? full : Path.GetFullPath(displayFile, baseDirectory);
        return Path.GetFullPath(path, Path.GetDirectoryName(file)!);
    }
}
