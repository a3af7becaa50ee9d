using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpFleet.Gateway.Configuration;

namespace McpFleet.Gateway.Auth;

/// <summary>
/// Validates a JWT bearer token (RFC 7519) against the configured issuer, audience and JWKS: signature by RS256/384/512,
/// PS256/384/512 or ES256/384/512 (<c>none</c> and HMAC are refused: the gateway holds no shared secrets), <c>exp</c>
/// required, <c>nbf</c> honoured, 60 s of clock skew. Returns the caller (the configured claim) or why not; the token
/// itself never appears in a reason. Written on System.Security.Cryptography and System.Text.Json alone: the gateway takes
/// keys from a plain JWKS file or URL (no OIDC discovery), which is all this needs; Microsoft.AspNetCore.Authentication.JwtBearer
/// 10.0.15 publishes without AOT warnings too, but brings Microsoft.IdentityModel and wants OIDC discovery for URLs.
/// </summary>
internal sealed class JwtValidator(JwtSettings settings, JwksSource keys, TimeProvider timeProvider)
{
    private const int MaxTokenLength = 16 * 1024;
    private static readonly TimeSpan s_skew = TimeSpan.FromSeconds(60);

    /// <summary>Validates <paramref name="token"/>.</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="cancellationToken">Cancels a JWKS fetch.</param>
    /// <returns>The caller's name, or the reason it is refused.</returns>
    public async ValueTask<(string? Caller, string? Error)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            return (null, "the token is too long");
        }

        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, "not a signed JWT");
        }

        if (Decode(parts[0]) is not { } headerBytes || Decode(parts[1]) is not { } payloadBytes || Decode(parts[2]) is not { } signature)
        {
            return (null, "the token is not base64url");
        }

        JsonDocument header, payload;
        try
        {
            header = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException)
        {
            return (null, "the token's header is not JSON");
        }

        using (header)
        {
            try
            {
                payload = JsonDocument.Parse(payloadBytes);
            }
            catch (JsonException)
            {
                return (null, "the token's payload is not JSON");
            }

            using (payload)
            {
                if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, "the token's header or payload is not an object");
                }

                var alg = Text(header.RootElement, "alg");
                if (Algorithm(alg) is not var (hash, padding, isEc))
                {
                    return (null, $"signature algorithm '{Bounded(alg)}' is not accepted");
                }

                var signed = Encoding.ASCII.GetBytes(string.Concat(parts[0], ".", parts[1]));
                var candidates = await keys.GetAsync(Text(header.RootElement, "kid"), cancellationToken).ConfigureAwait(false);
                if (!candidates.Any(k => Verify(k, signed, signature, hash, padding, isEc)))
                {
                    return (null, "the signature does not match any key of the JWKS");
                }

                return Claims(payload.RootElement);
            }
        }
    }

    private (string? Caller, string? Error) Claims(JsonElement claims)
    {
        if (Text(claims, "iss") != settings.Issuer)
        {
            return (null, "wrong issuer");
        }

        var audience = claims.TryGetProperty("aud", out var aud) ? aud : default;
        var audienceOk = audience.ValueKind switch
        {
            JsonValueKind.String => audience.GetString() == settings.Audience,
            JsonValueKind.Array => audience.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == settings.Audience),
            _ => false,
        };
        if (!audienceOk)
        {
            return (null, "wrong audience");
        }

        var now = timeProvider.GetUtcNow();
        if (Seconds(claims, "exp") is not { } exp)
        {
            return (null, "the token has no exp");
        }

        if (DateTimeOffset.FromUnixTimeSeconds(exp) + s_skew < now)
        {
            return (null, "the token expired");
        }

        if (Seconds(claims, "nbf") is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) - s_skew > now)
        {
            return (null, "the token is not valid yet");
        }

        return Text(claims, settings.CallerClaim) is { Length: > 0 } caller
            ? (caller, null)
            : (null, $"the token has no '{settings.CallerClaim}' claim");
    }

    private static bool Verify(JsonWebKey key, byte[] data, byte[] signature, HashAlgorithmName hash, RSASignaturePadding? padding, bool isEc)
    {
        try
        {
            return isEc
                ? key.Ec is { } ec && ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : key.Rsa is { } rsa && rsa.VerifyData(data, signature, hash, padding!);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static (HashAlgorithmName Hash, RSASignaturePadding? Padding, bool IsEc)? Algorithm(string? alg) => alg switch
    {
        "RS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, false),
        "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, false),
        "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1, false),
        "PS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss, false),
        "PS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pss, false),
        "PS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss, false),
        "ES256" => (HashAlgorithmName.SHA256, null, true),
        "ES384" => (HashAlgorithmName.SHA384, null, true),
        "ES512" => (HashAlgorithmName.SHA512, null, true),
        _ => null,
    };

    private static byte[]? Decode(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is > -62135596800 and < 253402300799
            ? (long)seconds
            : null;

    private static string Bounded(string? text) => text is null ? "(none)" : text.Length > 16 ? text[..16] + "…" : text;
}
