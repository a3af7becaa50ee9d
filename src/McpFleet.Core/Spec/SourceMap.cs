using McpFleet.Diagnostics;

namespace McpFleet.Spec;

/// <summary>
/// Where each key of one spec file was written, keyed by a path such as <c>port</c>, <c>resources.limits.cpu</c>
/// or <c>secrets[1].name</c>. Lets a check that runs after loading (duplicate ports, cycles) point at the line.
/// </summary>
public sealed class SourceMap
{
    private readonly IReadOnlyDictionary<string, SourceLocation> _locations;

    /// <summary>A map for no file.</summary>
    public static readonly SourceMap Empty = new("", new Dictionary<string, SourceLocation>());

    /// <summary>Creates a map.</summary>
    /// <param name="file">The file path.</param>
    /// <param name="locations">Locations by key path.</param>
    public SourceMap(string file, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        File = file;
        _locations = locations;
    }

    /// <summary>Gets the file path.</summary>
    public string File { get; }

    /// <summary>
    /// Finds the location of <paramref name="path"/>, falling back to its nearest written parent, then to the file.
    /// </summary>
    /// <param name="path">A key path, e.g. <c>dependsOn[2]</c>.</param>
    /// <returns>The best location known.</returns>
    public SourceLocation Locate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_locations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return SourceLocation.OfFile(File);
    }

    private static string Parent(string path)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut < 0 ? "" : path[..cut];
    }
}
