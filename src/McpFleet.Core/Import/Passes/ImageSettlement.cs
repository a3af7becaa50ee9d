using McpFleet.Spec;

namespace McpFleet.Import.Passes;

/// <summary>Versions from image tags, and the fleet image pattern most servers follow.</summary>
internal static class ImageSettlement
{
    /// <summary>Chooses the fleet image pattern that fits most servers; the others keep an explicit image.</summary>
    /// <param name="servers">The servers, with their images.</param>
    /// <returns>The fleet image pattern, or <see langword="null"/> when no image follows one.</returns>
    public static string? Settle(List<ServerDraft> servers)
    {
        var candidates = new List<(string Prefix, string TagPrefix)>();
        foreach (var server in servers)
        {
            if (server.Image is null)
            {
                continue;
            }

            var version = server.Image.Digest is null ? server.Image.Version() : null;
            server.Version = version?.Version ?? "0.0.0";
            if (Pattern(server) is { } p)
            {
                candidates.Add(p);
            }
        }

        var chosen = candidates.GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => ((string, string)?)g.Key).FirstOrDefault();
        foreach (var server in servers)
        {
            var at = server.ImageLocation ?? server.Location;
            if (server.Image is null)
            {
                var pattern = chosen is { } c
                    ? $"{c.Item1}{server.Name}:{c.Item2}{server.Version}"
                    : FleetResolver.Image(FleetDefaults.ImagePattern, server.Name, server.Version);
                server.Report("image", FieldOutcome.Changed, $"placeholder: version {server.Version} and the fleet image pattern, so `{pattern}`; push that image, or set `image`", server.BuildOnly ?? at, true);
                continue;
            }

            var image = server.Image;
            var registry = image.Registry ?? "Docker Hub";
            var parsed = image.Version();
            if (Pattern(server) is { } mine && mine == chosen)
            {
                server.Report("image.tag", FieldOutcome.Changed, $"registry {registry}, name `{image.Repository}`, version {server.Version}{(parsed?.Completed == true ? $" (tag `{image.Tag}` completed to MAJOR.MINOR.PATCH)" : "")}: the fleet image pattern produces it", at);
                continue;
            }

            server.ExplicitImage = image.ToString();
            if (parsed is null || image.Digest is not null)
            {
                var why = image.Digest is not null ? "pinned by digest" : image.Tag is null ? "has no tag (means `latest`)" : $"tag `{image.Tag}` is not a version";
                server.Report("image.tag", FieldOutcome.Changed, $"{why}: version 0.0.0 and an explicit `image`{(image.Digest is null ? "; pin a versioned tag" : "")}", at, image.Digest is null);
            }
            else
            {
                server.Report("image.tag", FieldOutcome.Changed, $"registry {registry}, version {server.Version}: explicit `image`, as it does not follow the fleet pattern", at);
            }
        }

        return chosen is { } ch ? $"{ch.Item1}{{name}}:{ch.Item2}{{version}}" : null;
    }

    private static (string Prefix, string TagPrefix)? Pattern(ServerDraft server)
    {
        var image = server.Image!;
        if (image.Digest is not null || image.Tag is null || !image.Repository.EndsWith(server.Name, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = image.Repository[..^server.Name.Length];
        if (prefix.Length > 0 && prefix[^1] is not ('/' or '-' or '_'))
        {
            return null;
        }

        return image.Tag == server.Version ? (prefix, "") : image.Tag == "v" + server.Version ? (prefix, "v") : null;
    }
}
