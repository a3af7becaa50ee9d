using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpFleet.Gateway.Sessions;

/// <summary>What a gateway session id carries: whose it is, when it was issued, and its sessions at stateful upstreams.</summary>
/// <param name="Caller">The caller it is bound to.</param>
/// <param name="IssuedAt">When it was issued, Unix seconds.</param>
/// <param name="ProtocolVersion">The protocol version the client negotiated.</param>
/// <param name="Upstreams">The session id at each stateful upstream, by upstream name.</param>
internal sealed record GatewaySession(
    [property: JsonPropertyName("c")] string Caller,
    [property: JsonPropertyName("i")] long IssuedAt,
    [property: JsonPropertyName("p")] string ProtocolVersion,
    [property: JsonPropertyName("u")] Dictionary<string, string> Upstreams);

/// <summary>
/// Seals a <see cref="GatewaySession"/> into the <c>Mcp-Session-Id</c> the client holds, with AES-256-GCM and the
/// caller's name as associated data: any replica with the key opens it, no store is shared, the client can neither read
/// nor change it, and it opens only for the caller it was issued to (another caller, or another key, gets "not found").
/// Format: base64url of version (1 byte) ‖ nonce (12) ‖ tag (16) ‖ ciphertext. Nonces are random: at 2^32 sessions per
/// key the chance of a repeat stays below 2^-32, so rotate the key long before that. Safe to use from many requests at once.
/// </summary>
internal sealed class SessionCodec : IDisposable
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxIdLength = 4096;
    private static readonly byte[] s_context = "mcpfleet-gateway/session/v1\0"u8.ToArray();

    // One AesGcm holds one OpenSSL cipher context: two requests sealing or opening on it at once corrupt each other
    // (a valid id fails its tag check and its client is told "not found", or OpenSSL throws), so each use holds the gate.
    private readonly AesGcm _aes;
    private readonly Lock _aesGate = new();
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="SessionCodec"/> class.</summary>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="lifetime">How long an id stays valid.</param>
    /// <param name="timeProvider">The clock.</param>
    public SessionCodec(byte[] key, TimeSpan lifetime, TimeProvider timeProvider)
    {
        _aes = new AesGcm(key, TagBytes);
        _lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    /// <summary>Returns the current time in Unix seconds.</summary>
    /// <returns>The time.</returns>
    public long Now() => _timeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Seals a session.</summary>
    /// <param name="session">The session.</param>
    /// <returns>The session id.</returns>
    public string Seal(GatewaySession session)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(session, SessionJsonContext.Default.GatewaySession);
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        var associatedData = AssociatedData(session.Caller);
        lock (_aesGate)
        {
            _aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), associatedData);
        }

        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>Opens a session id presented by <paramref name="caller"/>.</summary>
    /// <param name="sessionId">The id.</param>
    /// <param name="caller">The caller presenting it.</param>
    /// <returns>The session, or null when it is not one of this key's, not the caller's, malformed or expired.</returns>
    public GatewaySession? Open(string sessionId, string caller)
    {
        if (sessionId.Length is 0 or > MaxIdLength)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(sessionId);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length < 1 + NonceBytes + TagBytes || bytes[0] != Version)
        {
            return null;
        }

        var plain = new byte[bytes.Length - 1 - NonceBytes - TagBytes];
        var associatedData = AssociatedData(caller);
        try
        {
            lock (_aesGate)
            {
                _aes.Decrypt(bytes.AsSpan(1, NonceBytes), bytes.AsSpan(1 + NonceBytes + TagBytes), bytes.AsSpan(1 + NonceBytes, TagBytes), plain, associatedData);
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        GatewaySession? session;
        try
        {
            session = JsonSerializer.Deserialize(plain, SessionJsonContext.Default.GatewaySession);
        }
        catch (JsonException)
        {
            return null;
        }

        return session is not null && session.Caller == caller && Now() - session.IssuedAt <= _lifetime.TotalSeconds ? session : null;
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();

    private static byte[] AssociatedData(string caller)
    {
        var name = Encoding.UTF8.GetBytes(caller);
        var data = new byte[s_context.Length + 4 + name.Length];
        s_context.CopyTo(data, 0);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(s_context.Length), name.Length);
        name.CopyTo(data, s_context.Length + 4);
        return data;
    }
}

/// <summary>Source-generated JSON of the sealed session.</summary>
[JsonSerializable(typeof(GatewaySession))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
