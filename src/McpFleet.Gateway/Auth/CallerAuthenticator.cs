using McpFleet.Gateway.Configuration;
using McpFleet.Hosting;
using Microsoft.AspNetCore.Http;

namespace McpFleet.Gateway.Auth;

/// <summary>
/// Tells who a request comes from: a bearer API key (compared by SHA-256, against every key, in constant time, by
/// McpFleet.Hosting's own key check) or a
/// JWT (validated by <see cref="JwtValidator"/>). Without auth in the config every request is <c>anonymous</c>, rate
/// limited per remote address.
/// </summary>
internal sealed class CallerAuthenticator
{
    private const string BearerPrefix = "Bearer ";

    private readonly GatewaySettings _settings;
    private readonly JwtValidator? _jwt;

    /// <summary>Initializes a new instance of the <see cref="CallerAuthenticator"/> class.</summary>
    /// <param name="settings">The gateway's settings.</param>
    /// <param name="jwt">The JWT validator, when JWTs are configured.</param>
    public CallerAuthenticator(GatewaySettings settings, JwtValidator? jwt)
    {
        _settings = settings;
        _jwt = jwt;
    }

    /// <summary>Gets a value indicating whether callers must authenticate.</summary>
    public bool Required => _settings.Auth is not null;

    /// <summary>Authenticates a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The caller, or the reason (no credentials, a wrong key, an invalid token) it is refused.</returns>
    public async ValueTask<(Caller? Caller, string? Error)> AuthenticateAsync(HttpContext context)
    {
        if (_settings.Auth is not { } auth)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return (new Caller(Caller.AnonymousName, Caller.AnonymousName, GlobSet.All, _settings.DefaultRateLimit, "ip:" + address), null);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (null, "a bearer API key or JWT is required");
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the Authorization header is not 'Bearer <key or token>'");
        }

        var credential = header.AsSpan(BearerPrefix.Length).Trim();
        if (_jwt is not null && credential.Count('.') == 2)
        {
            var (name, error) = await _jwt.ValidateAsync(credential.ToString(), context.RequestAborted).ConfigureAwait(false);
            if (name is null)
            {
                return (null, $"invalid token: {error}");
            }

            return auth.Callers.TryGetValue(name, out var known)
                ? (Known(known), null)
                : (new Caller(name, Caller.UnlistedJwtLabel, auth.DefaultTools, _settings.DefaultRateLimit, "jwt:" + name), null);
        }

        return MatchKey(auth, header) is { } caller ? (Known(caller), null) : (null, "the API key is not valid");
    }

    private Caller Known(CallerSettings caller) =>
        new(caller.Name, caller.Name, caller.Tools, caller.RateLimit ?? _settings.DefaultRateLimit, "caller:" + caller.Name);

    private static CallerSettings? MatchKey(AuthSettings auth, string authorization)
    {
        var index = McpFleetApiKeys.Match(auth.ApiKeyHashes, authorization);
        return index < 0 ? null : auth.ApiKeys[index].Caller;
    }
}
