using System.Text.RegularExpressions;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>An image reference split into repository, tag and digest, with the version its tag implies.</summary>
/// <param name="Repository">Registry and path, e.g. <c>ghcr.io/acme/mcp-github</c>.</param>
/// <param name="Tag">The tag, or <see langword="null"/>.</param>
/// <param name="Digest">The digest, or <see langword="null"/>.</param>
internal sealed partial record ImageReference(string Repository, string? Tag, string? Digest)
{
    /// <summary>Gets the registry host, or <see langword="null"/> for Docker Hub.</summary>
    public string? Registry
    {
        get
        {
            var slash = Repository.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return null;
            }

            var first = Repository[..slash];
            return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : null;
        }
    }

    /// <summary>Gets the last path segment, e.g. <c>postgres</c> for <c>docker.io/library/postgres</c>.</summary>
    public string ShortName => Repository[(Repository.LastIndexOf('/') + 1)..];

    /// <summary>Parses <c>[registry/]path[:tag][@digest]</c>.</summary>
    /// <param name="image">The reference.</param>
    /// <returns>The parts.</returns>
    public static ImageReference Parse(string image)
    {
        var rest = image.Trim();
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            return new ImageReference(rest[..colon], rest[(colon + 1)..], digest);
        }

        return new ImageReference(rest, null, digest);
    }

    /// <summary>
    /// Derives a <c>MAJOR.MINOR.PATCH[-pre]</c> version from the tag: a leading <c>v</c> is dropped and missing minor
    /// or patch parts become 0 (<c>v1.4</c> → <c>1.4.0</c>).
    /// </summary>
    /// <returns>The version and whether it had to be completed, or <see langword="null"/> when the tag is not a version.</returns>
    public (string Version, bool Completed)? Version()
    {
        if (Tag is null)
        {
            return null;
        }

        var match = VersionTag().Match(Tag);
        if (!match.Success)
        {
            return null;
        }

        var parts = match.Groups[1].Value.Split('.').ToList();
        var completed = parts.Count < 3;
        while (parts.Count < 3)
        {
            parts.Add("0");
        }

        return (string.Join('.', parts) + match.Groups[2].Value, completed);
    }

    /// <inheritdoc/>
    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex(@"^v?((?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)){0,2})(-[0-9A-Za-z.\-]+)?$")]
    private static partial Regex VersionTag();
}
