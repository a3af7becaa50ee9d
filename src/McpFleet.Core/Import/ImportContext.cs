using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>What every service mapping of one import shares.</summary>
internal sealed class ImportContext(Interpolator interpolator, DiagnosticBag errors, string secretPrefix, string baseDirectory, IReadOnlyDictionary<string, string> fullPaths)
{
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

    /// <summary>Formats a full path the way the report shows it: relative to the base directory.</summary>
    /// <param name="fullPath">The full path.</param>
    /// <returns>The display path.</returns>
    public string Display(string fullPath) => Path.GetRelativePath(baseDirectory, fullPath).Replace('\\', '/');

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
