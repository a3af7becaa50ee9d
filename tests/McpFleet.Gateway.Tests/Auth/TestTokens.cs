using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace McpFleet.Gateway.Tests.Auth;

/// <summary>An identity provider in a test: an RSA key, its JWKS, and tokens signed with it.</summary>
internal sealed class TestTokens : IDisposable
{
    public const string Issuer = "https://idp.test";
    public const string Audience = "mcp-gateway";

    private readonly RSA _key = RSA.Create(2048);

    public string KeyId { get; } = "test-key-1";

    /// <summary>Returns the JWKS with the public key.</summary>
    /// <returns>The JSON.</returns>
    public string Jwks()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["kid"] = KeyId,
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            }),
        }.ToJsonString();
    }

    /// <summary>Signs a token.</summary>
    /// <param name="subject">The sub claim.</param>
    /// <param name="audience">The aud claim.</param>
    /// <param name="issuer">The iss claim.</param>
    /// <param name="expiresIn">Time to exp (negative: expired).</param>
    /// <param name="alg">The alg header; "none" makes an unsigned token.</param>
    /// <returns>The compact JWT.</returns>
    public string Token(string subject, string audience = Audience, string issuer = Issuer, TimeSpan? expiresIn = null, string alg = "RS256")
    {
        var now = DateTimeOffset.UtcNow;
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = KeyId }.ToJsonString();
        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
        }.ToJsonString();
        var signed = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}";
        if (alg == "none")
        {
            return signed + ".";
        }

        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();
}
