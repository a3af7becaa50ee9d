using System.Text.Json;
using System.Text.Json.Serialization;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>
/// Writes the gateway's <c>gateway.json</c> (the config file of <c>mcpfleet-gateway --config</c>, docs/gateway.md):
/// the fronted servers' in-cluster URLs, and for the keys only the names of the env vars that the ExternalSecret
/// fills, so the ConfigMap holds no secret. 2-space indented, fields in the gateway's order, a trailing newline.
/// </summary>
public static class GatewayConfigJson
{
    /// <summary>The config file's name in the gateway's ConfigMap (mounted at <see cref="RuntimeContract.ConfigDirectory"/>).</summary>
    public const string FileName = "gateway.json";

    /// <summary>Builds the config of <paramref name="gateway"/>.</summary>
    /// <param name="gateway">The resolved gateway.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string Build(ResolvedGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return Build(gateway, gateway.Upstreams.Select(u => (u, u.Url)));
    }

    /// <summary>Builds the config of <paramref name="gateway"/> with other URLs for its upstreams (loopback, for <c>up --local</c>).</summary>
    /// <param name="gateway">The resolved gateway.</param>
    /// <param name="upstreams">Each upstream with the URL the gateway reaches it at.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string Build(ResolvedGateway gateway, IEnumerable<(ResolvedUpstream Upstream, string Url)> upstreams)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(upstreams);
        var spec = gateway.Spec;
        var file = new GatewayConfigFile
        {
            Name = spec.Name,
            Upstreams = [.. upstreams.Select(x => new GatewayUpstreamEntry
            {
                Name = x.Upstream.Server,
                Url = x.Url,
                Prefix = x.Upstream.Prefix == x.Upstream.Server ? null : x.Upstream.Prefix,
                Timeout = x.Upstream.Timeout,
                Tools = x.Upstream.Tools,
                Stateful = x.Upstream.Stateful ? true : null,
            })],
            Sessions = spec.SessionKey is null ? null : new GatewaySessionsEntry { KeyEnv = ResolvedGateway.SessionKeyVariable },
            Auth = spec.Auth is { } auth
                ? new GatewayAuthEntry
                {
                    Callers = auth.Callers.Count == 0 ? null : [.. auth.Callers.Select(c => new GatewayCallerEntry
                    {
                        Name = c.Name,
                        ApiKeyEnv = c.ApiKey is null ? null : c.ApiKeyVariable,
                        Tools = c.Tools,
                        RateLimit = RateLimit(c.RateLimit),
                    })],
                    Jwt = auth.Jwt is { } jwt
                        ? new GatewayJwtEntry { Issuer = jwt.Issuer, Audience = jwt.Audience, JwksUrl = jwt.JwksUrl, CallerClaim = jwt.CallerClaim, Resource = jwt.Resource }
                        : null,
                    DefaultTools = auth.DefaultTools,
                }
                : null,
            RateLimit = RateLimit(spec.RateLimit),
        };
        return JsonSerializer.Serialize(file, GatewayConfigJsonContext.Default.GatewayConfigFile).ReplaceLineEndings("\n") + "\n";
    }

    private static GatewayRateLimitEntry? RateLimit(GatewayRateLimitSpec? rate) =>
        rate is null ? null : new GatewayRateLimitEntry { RequestsPerSecond = rate.RequestsPerSecond, Burst = rate.Burst };
}

// The fields of the gateway's GatewayConfig (src/McpFleet.Gateway/Configuration) that the renderer writes, by the same
// names; McpFleet.Core cannot reference the gateway, and a test loads the rendered file with the gateway's own loader.
internal sealed record GatewayConfigFile
{
    public string? Name { get; init; }

    public required IReadOnlyList<GatewayUpstreamEntry> Upstreams { get; init; }

    public GatewaySessionsEntry? Sessions { get; init; }

    public GatewayAuthEntry? Auth { get; init; }

    public GatewayRateLimitEntry? RateLimit { get; init; }
}

internal sealed record GatewayUpstreamEntry
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public string? Prefix { get; init; }

    public string? Timeout { get; init; }

    public IReadOnlyList<string>? Tools { get; init; }

    public bool? Stateful { get; init; }
}

internal sealed record GatewaySessionsEntry
{
    public string? KeyEnv { get; init; }
}

internal sealed record GatewayAuthEntry
{
    public IReadOnlyList<GatewayCallerEntry>? Callers { get; init; }

    public GatewayJwtEntry? Jwt { get; init; }

    public IReadOnlyList<string>? DefaultTools { get; init; }
}

internal sealed record GatewayCallerEntry
{
    public required string Name { get; init; }

    public string? ApiKeyEnv { get; init; }

    public IReadOnlyList<string>? Tools { get; init; }

    public GatewayRateLimitEntry? RateLimit { get; init; }
}

internal sealed record GatewayJwtEntry
{
    public required string Issuer { get; init; }

    public required string Audience { get; init; }

    public required string JwksUrl { get; init; }

    public string? CallerClaim { get; init; }

    public string? Resource { get; init; }
}

internal sealed record GatewayRateLimitEntry
{
    public double RequestsPerSecond { get; init; }

    public int? Burst { get; init; }
}

/// <summary>Source-generated, deterministic JSON for <c>gateway.json</c>: camelCase, indented, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    IndentSize = 2)]
[JsonSerializable(typeof(GatewayConfigFile))]
internal sealed partial class GatewayConfigJsonContext : JsonSerializerContext;
