using System.Globalization;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>One entry of Compose <c>ports</c> or <c>expose</c>, read.</summary>
/// <param name="Container">The container port (the first of a range).</param>
/// <param name="Published">The published host port, if any.</param>
/// <param name="Protocol">The protocol, lower-case (<c>tcp</c> unless written).</param>
internal sealed record ComposePort(int Container, string? Published, string Protocol);

/// <summary>Reads Compose port entries: <c>[[ip:]host:]container[/protocol]</c>, or a mapping with <c>target</c>.</summary>
internal static class ComposePorts
{
    /// <summary>Reads one entry of <c>ports</c> or <c>expose</c>.</summary>
    /// <param name="item">The entry.</param>
    /// <param name="port">The port, when it reads.</param>
    /// <param name="problem">Why it does not read, for the report.</param>
    /// <returns><see langword="true"/> when it is a port.</returns>
    public static bool TryParse(ComposeNode item, out ComposePort port, out string problem)
    {
        port = new ComposePort(0, null, "tcp");
        problem = "not a port this importer understands: [[ip:]host:]container[/protocol], or a mapping with `target`";
        string target;
        string? published = null;
        var protocol = "tcp";
        if (item is ComposeMap map)
        {
            protocol = (map.Text("protocol") ?? "tcp").ToLowerInvariant();
            published = map.Text("published");
            target = map.Text("target") ?? "";
        }
        else if (item is ComposeScalar { Value: { } text })
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                protocol = text[(slash + 1)..].ToLowerInvariant();
                text = text[..slash];
            }

            // [ip:][host:]container; an IPv6 host address is bracketed.
            var parts = text.StartsWith('[') ? text[(text.IndexOf(']', StringComparison.Ordinal) + 2)..].Split(':') : text.Split(':');
            target = parts[^1];
            if (parts.Length >= 2 && parts[^2].Length > 0)
            {
                published = parts[^2];
            }
        }
        else
        {
            return false;
        }

        // A range maps its first port; the rest are reported with it.
        var dash = target.IndexOf('-', StringComparison.Ordinal);
        if (!int.TryParse(dash >= 0 ? target[..dash] : target, NumberStyles.None, CultureInfo.InvariantCulture, out var container))
        {
            return false;
        }

        if (container is < 1 or > 65535)
        {
            problem = $"container port {container} is out of range: a TCP port is 1-65535";
            return false;
        }

        port = new ComposePort(container, published, protocol);
        return true;
    }
}
