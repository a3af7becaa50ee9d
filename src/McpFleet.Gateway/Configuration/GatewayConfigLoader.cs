using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace McpFleet.Gateway.Configuration;

/// <summary>A config the gateway cannot start with; the message is one line naming the file and the field.</summary>
/// <param name="message">The line.</param>
internal sealed class GatewayConfigException(string message) : Exception(message);

/// <summary>
/// Reads and validates the config file. Every problem is one line with the file, <c>line:col</c> where the JSON itself
/// is wrong, and the field's path (<c>upstreams[1].url</c>); secrets (API keys, the session key) are read from their
/// env or file, hashed or kept as bytes, and never appear in a message.
/// </summary>
internal static partial class GatewayConfigLoader
{
    private const int SessionKeyBytes = 32;

    /// <summary>Reads <paramref name="path"/> and validates it.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="environment">Reads an environment variable (for <c>keyEnv</c>, <c>apiKeyEnv</c>).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="GatewayConfigException">The file is missing or invalid.</exception>
    public static GatewaySettings Load(string path, Func<string, string?> environment)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigException($"{path}: cannot read the config file: {ex.Message}");
        }

        GatewayConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, GatewayConfigJsonContext.Default.GatewayConfig);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"{path}:{line + 1}:{(ex.BytePositionInLine ?? 0) + 1}" : path;
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $"{ex.Path.TrimStart('$', '.')}: ";
            throw new GatewayConfigException($"{where}: {field}{Describe(ex)}");
        }

        return Validate(config ?? throw new GatewayConfigException($"{path}: the config is null; it needs at least {{\"upstreams\": [...]}}"), path, environment);
    }

    /// <summary>Validates a parsed config.</summary>
    /// <param name="config">The config.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="GatewayConfigException">A field is invalid.</exception>
    public static GatewaySettings Validate(GatewayConfig config, string path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        GatewayConfigException Fail(string field, string what) => new($"{path}: {field}: {what}");

        if (config.Upstreams is not { Count: > 0 } upstreamConfigs)
        {
            throw Fail("upstreams", "at least one upstream is required ({\"name\": \"<server>\", \"url\": \"http://…/mcp\"})");
        }

        if (config.Name is not null && !DnsLabel().IsMatch(config.Name))
        {
            throw Fail("name", $"'{config.Name}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
        }

        var sessionKey = ReadSessionKey(config.Sessions, Fail, environment);
        List<UpstreamSettings> upstreams = [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < upstreamConfigs.Count; i++)
        {
            var field = $"upstreams[{i}]";
            var u = upstreamConfigs[i] ?? throw Fail(field, "is null");
            if (u.Name is not { } name || !DnsLabel().IsMatch(name))
            {
                throw Fail($"{field}.name", $"'{u.Name}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
            }

            if (!names.Add(name))
            {
                throw Fail($"{field}.name", $"'{name}' is used twice");
            }

            if (!Uri.TryCreate(u.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw Fail($"{field}.url", $"'{u.Url}' is not an absolute http(s) URL");
            }

            var prefix = u.Prefix ?? name;
            if (prefix.Length > 0 && !PrefixPattern().IsMatch(prefix))
            {
                throw Fail($"{field}.prefix", $"'{prefix}' may hold only letters, digits, '-' and '.' (at most 32), or be empty");
            }

            if (prefixes.TryGetValue(prefix, out var other))
            {
                throw Fail($"{field}.prefix", $"'{prefix}' is already the prefix of {other}: names would collide");
            }

            prefixes[prefix] = $"upstreams '{name}'";
            var timeout = Duration(u.Timeout, $"{field}.timeout", TimeSpan.FromSeconds(60), Fail);
            var tools = Globs(u.Tools, $"{field}.tools", Fail) ?? GlobSet.All;
            var stateful = u.Stateful ?? false;
            if (stateful && sessionKey is null)
            {
                throw Fail($"{field}.stateful", "a stateful upstream needs a session key (sessions.keyFile or sessions.keyEnv)");
            }

            upstreams.Add(new UpstreamSettings(name, url, prefix, timeout, tools, stateful));
        }

        var pageSize = config.PageSize ?? 100;
        if (pageSize is < 1 or > 10_000)
        {
            throw Fail("pageSize", $"{pageSize} is not between 1 and 10000");
        }

        var health = config.Health ?? new HealthConfig();
        var defaultRate = RateLimit(config.RateLimit, "rateLimit", Fail);
        return new GatewaySettings(
            config.Name is { Length: > 0 } serverName ? serverName : "mcpfleet-gateway",
            upstreams,
            pageSize,
            Duration(config.CatalogRefresh, "catalogRefresh", TimeSpan.FromSeconds(60), Fail),
            Duration(health.PingInterval, "health.pingInterval", TimeSpan.FromSeconds(5), Fail),
            Duration(health.PingTimeout, "health.pingTimeout", TimeSpan.FromSeconds(2), Fail),
            Duration(health.MaxBackoff, "health.maxBackoff", TimeSpan.FromSeconds(5), Fail),
            sessionKey,
            Duration(config.Sessions?.Lifetime, "sessions.lifetime", TimeSpan.FromHours(24), Fail),
            Auth(config.Auth, Fail, environment),
            defaultRate,
            config.FastPath ?? true);
    }

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> or a number of seconds, by <see cref="Durations"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <returns>Whether it parsed to a positive duration.</returns>
    internal static bool TryParseDuration(string text, out TimeSpan value) =>
        Durations.TryParse(text, allowSeconds: true, out value) && value > TimeSpan.Zero && value <= TimeSpan.MaxValue / 2;

    private static TimeSpan Duration(string? text, string field, TimeSpan fallback, Func<string, string, GatewayConfigException> fail) =>
        text is null ? fallback
        : TryParseDuration(text, out var value) ? value
        : throw fail(field, $"'{text}' is not a duration (500ms, 30s, 2m, 1h)");

    private static GlobSet? Globs(IList<string>? globs, string field, Func<string, string, GatewayConfigException> fail)
    {
        if (globs is null)
        {
            return null;
        }

        for (var i = 0; i < globs.Count; i++)
        {
            if (string.IsNullOrEmpty(globs[i]))
            {
                throw fail($"{field}[{i}]", "is empty");
            }
        }

        return new GlobSet(globs);
    }

    private static RateLimitSettings? RateLimit(RateLimitConfig? config, string field, Func<string, string, GatewayConfigException> fail)
    {
        if (config is null)
        {
            return null;
        }

        if (config.RequestsPerSecond is not { } rate || rate <= 0 || double.IsNaN(rate) || rate > 1_000_000)
        {
            throw fail($"{field}.requestsPerSecond", "must be a number above 0 (at most 1000000)");
        }

        var burst = config.Burst ?? Math.Max(1, (int)Math.Ceiling(rate * 2));
        return burst is < 1 or > 10_000_000 ? throw fail($"{field}.burst", $"{burst} is not between 1 and 10000000") : new RateLimitSettings(rate, burst);
    }

    private static byte[]? ReadSessionKey(SessionsConfig? sessions, Func<string, string, GatewayConfigException> fail, Func<string, string?> environment)
    {
        if (sessions is null || (sessions.KeyFile is null && sessions.KeyEnv is null))
        {
            return sessions?.Lifetime is null ? null : throw fail("sessions", "lifetime is set but there is no keyFile or keyEnv");
        }

        if (sessions.KeyFile is not null && sessions.KeyEnv is not null)
        {
            throw fail("sessions", "set keyFile or keyEnv, not both");
        }

        var (field, text) = sessions.KeyFile is { } file
            ? ("sessions.keyFile", ReadSecretFile(file, "sessions.keyFile", fail))
            : ("sessions.keyEnv", environment(sessions.KeyEnv!) ?? throw fail("sessions.keyEnv", $"environment variable {sessions.KeyEnv} is not set"));
        var key = new byte[SessionKeyBytes];
        return Convert.TryFromBase64String(text.Trim(), key, out var written) && written == SessionKeyBytes
            ? key
            : throw fail(field, $"the key is not {SessionKeyBytes} bytes in base64 (make one with: head -c 32 /dev/urandom | base64)");
    }

    private static string ReadSecretFile(string file, string field, Func<string, string, GatewayConfigException> fail)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw fail(field, $"cannot read {file}: {ex.Message}");
        }
    }

    private static AuthSettings? Auth(AuthConfig? auth, Func<string, string, GatewayConfigException> fail, Func<string, string?> environment)
    {
        if (auth is null)
        {
            return null;
        }

        var callers = new Dictionary<string, CallerSettings>(StringComparer.Ordinal);
        List<(byte[], CallerSettings)> keys = [];
        var list = auth.Callers ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"auth.callers[{i}]";
            var c = list[i] ?? throw fail(field, "is null");
            if (c.Name is not { Length: > 0 } name || name.StartsWith('_'))
            {
                throw fail($"{field}.name", "is required and may not start with '_'");
            }

            if (callers.ContainsKey(name))
            {
                throw fail($"{field}.name", $"'{name}' is used twice");
            }

            var caller = new CallerSettings(name, Globs(c.Tools, $"{field}.tools", fail) ?? GlobSet.All, RateLimit(c.RateLimit, $"{field}.rateLimit", fail));
            callers[name] = caller;
            if (ApiKeyHash(c, field, fail, environment) is { } hash)
            {
                if (keys.Exists(k => CryptographicOperations.FixedTimeEquals(k.Item1, hash)))
                {
                    throw fail(field, "its API key is also another caller's");
                }

                keys.Add((hash, caller));
            }
        }

        JwtSettings? jwt = null;
        if (auth.Jwt is { } j)
        {
            if (string.IsNullOrEmpty(j.Issuer))
            {
                throw fail("auth.jwt.issuer", "is required");
            }

            if (string.IsNullOrEmpty(j.Audience))
            {
                throw fail("auth.jwt.audience", "is required");
            }

            if ((j.JwksFile is null) == (j.JwksUrl is null))
            {
                throw fail("auth.jwt", "set exactly one of jwksFile and jwksUrl");
            }

            Uri? jwksUrl = null;
            if (j.JwksUrl is not null && (!Uri.TryCreate(j.JwksUrl, UriKind.Absolute, out jwksUrl) || jwksUrl.Scheme is not ("http" or "https")))
            {
                throw fail("auth.jwt.jwksUrl", $"'{j.JwksUrl}' is not an absolute http(s) URL");
            }

            if (j.JwksFile is not null && !File.Exists(j.JwksFile))
            {
                throw fail("auth.jwt.jwksFile", $"{j.JwksFile} does not exist");
            }

            jwt = new JwtSettings(j.Issuer, j.Audience, j.JwksFile, jwksUrl, j.CallerClaim is { Length: > 0 } claim ? claim : "sub", j.Resource ?? j.Audience);
        }

        if (keys.Count == 0 && jwt is null)
        {
            throw fail("auth", "no caller has an API key and there is no jwt: nobody could call the gateway (leave auth out for anonymous callers)");
        }

        return new AuthSettings(callers.ToFrozenDictionary(StringComparer.Ordinal), keys, jwt, Globs(auth.DefaultTools, "auth.defaultTools", fail) ?? GlobSet.All);
    }

    private static byte[]? ApiKeyHash(CallerConfig c, string field, Func<string, string, GatewayConfigException> fail, Func<string, string?> environment)
    {
        var sources = (c.ApiKeySha256 is null ? 0 : 1) + (c.ApiKeyEnv is null ? 0 : 1) + (c.ApiKeyFile is null ? 0 : 1);
        if (sources > 1)
        {
            throw fail(field, "set at most one of apiKeySha256, apiKeyEnv and apiKeyFile");
        }

        if (c.ApiKeySha256 is { } hex)
        {
            return hex.Length == 64 && IsHex(hex) ? Convert.FromHexString(hex) : throw fail($"{field}.apiKeySha256", "is not 64 hex digits (sha256sum of the key)");
        }

        var key = c.ApiKeyEnv is { } env ? environment(env) ?? throw fail($"{field}.apiKeyEnv", $"environment variable {env} is not set")
            : c.ApiKeyFile is { } file ? ReadSecretFile(file, $"{field}.apiKeyFile", fail)
            : null;
        if (key is null)
        {
            return null;
        }

        key = key.Trim();
        return key.Length < 16 ? throw fail(field, "the API key is shorter than 16 characters") : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first sentence of a JSON error, without the .NET type names it may carry.</summary>
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            return end > start ? $"unknown field '{message[(start + 1)..end]}'" : "unknown field";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has the wrong type (a string, number, boolean, list or object where the other is expected)";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return "invalid JSON: " + (cut > 0 ? message[..cut] : message);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z0-9.-]{1,32}$")]
    private static partial Regex PrefixPattern();
}
