using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace McpFleet.Hosting;

/// <summary>
/// The bearer keys of <c>MCP_API_KEYS</c>, kept only as SHA-256 hashes. Hashing first makes every comparison the same
/// length, and every key is compared, with no early exit, so the time does not say which key (or how much of one) matched.
/// </summary>
internal static class McpFleetApiKeys
{
    private const string BearerPrefix = "Bearer ";
    private const int StackBytes = 256;

    /// <summary>Splits a comma-separated key list, trims each key and drops empty entries.</summary>
    /// <param name="keys">The value of <c>MCP_API_KEYS</c>.</param>
    /// <returns>The hashes of the keys; empty when the value holds no key.</returns>
    public static byte[][] Parse(string keys) =>
        [.. keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(static k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];

    /// <summary>Finds the key an <c>Authorization</c> header presents.</summary>
    /// <param name="hashes">The configured key hashes.</param>
    /// <param name="authorization">The header value.</param>
    /// <returns>The index of the matching key, or -1.</returns>
    public static int Match(byte[][] hashes, string authorization)
    {
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        // The key's bytes go to the stack (or a pooled buffer for a long header) and are wiped: no copy per request.
        var key = authorization.AsSpan(BearerPrefix.Length).Trim();
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var utf8 = maxBytes <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], presented);
        CryptographicOperations.ZeroMemory(utf8[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        var match = -1;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hashes[i], presented))
            {
                match = i;
            }
        }

        return match;
    }
}
