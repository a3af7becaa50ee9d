using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>An outside destination an env value names.</summary>
/// <param name="Host">The DNS name, or <see langword="null"/> for an IP address.</param>
/// <param name="Cidr">The <c>/32</c> (or <c>/128</c>) CIDR of an IP address, else <see langword="null"/>.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="PortAssumed">Whether the port is a guess (HTTPS, 443) because the value names none.</param>
internal sealed record EgressHint(string? Host, string? Cidr, int Port, bool PortAssumed)
{
    /// <summary>Gets the host or CIDR, for messages.</summary>
    public string Destination => Host ?? Cidr!;
}

/// <summary>
/// Finds the outside hosts a server calls from its env values: URLs (any scheme with a port, or a scheme whose port is
/// known) and host-like values of variables named <c>*_HOST</c>, <c>*_DOMAIN</c>, <c>*_ENDPOINT</c> … Names without
/// a dot, loopback addresses and Docker's own names are never outside hosts.
/// </summary>
internal static partial class EgressHosts
{
    private static readonly Dictionary<string, int> s_schemePorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["http"] = 80, ["ws"] = 80, ["grpc"] = 80, ["https"] = 443, ["wss"] = 443, ["grpcs"] = 443,
        ["postgres"] = 5432, ["postgresql"] = 5432, ["mysql"] = 3306, ["mariadb"] = 3306, ["redis"] = 6379,
        ["rediss"] = 6379, ["mongodb"] = 27017, ["amqp"] = 5672, ["amqps"] = 5671, ["nats"] = 4222, ["smtp"] = 25,
        ["smtps"] = 465, ["ldap"] = 389, ["ldaps"] = 636, ["sftp"] = 22, ["ssh"] = 22,
    };

    private static readonly string[] s_hostSuffixes = ["_HOST", "_HOSTNAME", "_DOMAIN", "_SERVER", "_ENDPOINT", "_ADDR", "_ADDRESS"];

    /// <summary>Finds the destination of a URL value (<c>https://api.gong.io/v2</c>, <c>jdbc:postgresql://db.example.com/app</c>).</summary>
    /// <param name="value">The env value.</param>
    /// <returns>The destination, or <see langword="null"/> when the value is not such a URL.</returns>
    public static EgressHint? FromUrl(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.IsFile || uri.Host.Length == 0)
        {
            return null;
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? s_schemePorts.GetValueOrDefault(uri.Scheme.Split('+')[0]) : uri.Port;
        return port > 0 ? Destination(uri.Host, port, portAssumed: false) : null;
    }

    /// <summary>
    /// Finds the destination of a host-like value (<c>GITHUB_HOST: ghe.example.com</c>, <c>SMTP_SERVER: mail.example.com:587</c>).
    /// </summary>
    /// <param name="name">The env var name; it must end with a host-like suffix (<c>_HOST</c>, <c>_DOMAIN</c> …).</param>
    /// <param name="value">The env value: <c>host</c> or <c>host:port</c>.</param>
    /// <param name="companionPort">The value of the matching <c>*_PORT</c> variable, if any.</param>
    /// <returns>The destination (port 443 assumed when none is written), or <see langword="null"/>.</returns>
    public static EgressHint? FromHostValue(string name, string value, string? companionPort)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!s_hostSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase)) || HostPort().Match(value.Trim()) is not { Success: true } match)
        {
            return null;
        }

        if (match.Groups["port"].Success)
        {
            return Destination(match.Groups["host"].Value, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture), portAssumed: false);
        }

        return int.TryParse(companionPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? Destination(match.Groups["host"].Value, port, portAssumed: false)
            : Destination(match.Groups["host"].Value, 443, portAssumed: true);
    }

    /// <summary>Gives the name of the <c>*_PORT</c> variable that goes with a host variable: <c>SMTP_HOST</c> → <c>SMTP_PORT</c>.</summary>
    /// <param name="name">The host variable.</param>
    /// <returns>The port variable's name.</returns>
    public static string CompanionPortName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var underscore = name.LastIndexOf('_');
        return (underscore > 0 ? name[..underscore] : name) + "_PORT";
    }

    private static EgressHint? Destination(string host, int port, bool portAssumed)
    {
        host = host.Trim('[', ']').ToLowerInvariant();
        if (port is <= 0 or > 65535)
        {
            return null;
        }

        // 1.5 parses as an IPv4 address (1.0.0.5); only the dotted-quad and IPv6 spellings are addresses here.
        if ((host.Count(c => c == '.') == 3 || host.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(host, out var ip))
        {
            return IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)
                ? null
                : new EgressHint(null, $"{ip}/{(ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)}", port, portAssumed);
        }

        return DnsName().IsMatch(host) && !host.All(c => char.IsAsciiDigit(c) || c == '.') && host != "localhost" && !host.EndsWith(".localhost", StringComparison.Ordinal)
            && !host.EndsWith(".docker.internal", StringComparison.Ordinal) && !host.EndsWith(".local", StringComparison.Ordinal)
            ? new EgressHint(host, null, port, portAssumed)
            : null;
    }

    // host or host:port; a DNS name must have a dot to be an outside host (single labels are Compose services).
    [GeneratedRegex(@"^(?<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex HostPort();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$")]
    private static partial Regex DnsName();
}
