using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>
/// Writes <c>server-config.json</c>: exactly the document's fields in its order, 2-space indented, with a trailing
/// newline, and strings escaped like Go's <c>encoding/json</c>, so Helm's <c>toPrettyJson</c> gives the same bytes and
/// the same checksum.
/// </summary>
public static class ServerConfigJson
{
    /// <summary>Builds the file content for <paramref name="server"/>.</summary>
    /// <param name="server">The server.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string Build(ServerSpec server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var sb = new StringBuilder(160);
        sb.Append("{\n  \"name\": ");
        AppendString(sb, server.Name);
        sb.Append(",\n  \"version\": ");
        AppendString(sb, server.Version);
        sb.Append(",\n  \"port\": ").Append(server.Port.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\n  \"tools\": ").Append(server.Tools.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\n  \"description\": ");
        AppendString(sb, server.Description);
        sb.Append("\n}\n");
        return sb.ToString();
    }

    /// <summary>The lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="content"/>.</summary>
    /// <param name="content">The config file content.</param>
    /// <returns>64 hex digits.</returns>
    public static string Checksum(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(content), hash);
        return Convert.ToHexStringLower(hash);
    }

    // Go's encoding/json: escapes ", \, control characters (\n \r \t by name, others as \u00XX), the HTML-sensitive
    // <, > and &, and U+2028/U+2029; everything else is written as UTF-8.
    private static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }
}
