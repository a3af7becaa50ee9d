using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace McpFleet.Gateway.Auth;

/// <summary>A public signing key of a JWKS: RSA or EC, with its <c>kid</c>.</summary>
/// <param name="Id">The <c>kid</c>, or null.</param>
/// <param name="Rsa">The RSA key, or null.</param>
/// <param name="Ec">The EC key, or null.</param>
internal sealed record JsonWebKey(string? Id, RSA? Rsa, ECDsa? Ec);

/// <summary>Reads a JSON Web Key Set (RFC 7517) into public keys; keys of other types, or for encryption, are skipped.</summary>
internal static class JsonWebKeys
{
    /// <summary>Parses a JWKS document.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The signing keys.</returns>
    /// <exception cref="FormatException">It is not a JWKS.</exception>
    public static IReadOnlyList<JsonWebKey> Parse(ReadOnlySpan<byte> json)
    {
        List<JsonWebKey> keys = [];
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (!document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the JWKS has no 'keys' list");
            }

            foreach (var key in array.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || Text(key, "use") is { } use && use != "sig")
                {
                    continue;
                }

                var id = Text(key, "kid");
                switch (Text(key, "kty"))
                {
                    case "RSA" when Bytes(key, "n") is { } n && Bytes(key, "e") is { } e:
                        keys.Add(new JsonWebKey(id, RSA.Create(new RSAParameters { Modulus = n, Exponent = e }), null));
                        break;
                    case "EC" when Curve(Text(key, "crv")) is { } curve && Bytes(key, "x") is { } x && Bytes(key, "y") is { } y:
                        keys.Add(new JsonWebKey(id, null, ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } })));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException)
        {
            throw new FormatException($"the JWKS is not valid: {ex.Message}", ex);
        }

        return keys;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement element, string name)
    {
        if (Text(element, name) is not { } text)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ECCurve? Curve(string? name) => name switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };
}
