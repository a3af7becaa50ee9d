using System.Globalization;
using System.Text.RegularExpressions;
using McpFleet.Spec.Yaml;
using McpFleet.Yaml;

namespace McpFleet.Spec.Validation;

/// <summary>
/// Reads and checks <c>fleet.yaml</c>'s <c>gateway</c> block on its own, with the same limits the gateway applies to
/// its config file, so a fleet that validates renders a config the gateway starts with. Checks against the servers
/// (names, ports, session modes) live in <see cref="FleetValidator"/>.
/// </summary>
internal static partial class GatewayParser
{
    private static readonly string[] s_keys =
        ["enabled", "name", "image", "port", "replicas", "autoscaling", "resources", "servers", "sessionKey", "auth", "rateLimit"];

    private static readonly string[] s_serverKeys = ["name", "prefix", "tools", "timeout"];
    private static readonly string[] s_authKeys = ["callers", "jwt", "defaultTools"];
    private static readonly string[] s_callerKeys = ["name", "apiKey", "tools", "rateLimit"];
    private static readonly string[] s_jwtKeys = ["issuer", "audience", "jwksUrl", "callerClaim", "resource"];
    private static readonly string[] s_rateLimitKeys = ["requestsPerSecond", "burst"];

    /// <summary>Reads the block; <see langword="null"/> when it is absent.</summary>
    public static GatewaySpec? Parse(SpecReader reader, YNode? node)
    {
        var map = reader.Mapping(node, "gateway", s_keys);
        if (map is null)
        {
            return null;
        }

        var enabled = true;
        if (map.Get("enabled") is { } enabledNode)
        {
            if (enabledNode is YScalar { IsBool: true } flag)
            {
                enabled = flag.AsBool() ?? true;
            }
            else
            {
                reader.Error(SpecCodes.WrongType, enabledNode, $"'gateway.enabled' must be true or false, not {enabledNode.Describe()}");
            }
        }

        var name = map.String("name");
        if (name is not null)
        {
            FleetFileParser.CheckDnsLabel(reader, map.Get("name")!, "gateway.name", name);
        }

        var image = map.String("image");
        if (image is not null)
        {
            FleetFileParser.CheckImage(reader, map.Get("image")!, "gateway.image", image, allowPlaceholders: false);
        }

        var port = map.Int("port");
        if (port is < 1 or > 65535)
        {
            reader.Error(SpecCodes.InvalidPort, map.Get("port")!, $"'gateway.port' must be within 1..65535, not {port}");
        }

        var replicas = map.Int("replicas");
        if (replicas < 1)
        {
            reader.Error(SpecCodes.InvalidReplicas, map.Get("replicas")!, $"'gateway.replicas' must be at least 1, not {replicas}");
        }

        var autoscaling = CommonParsers.Autoscaling(reader, map.Get("autoscaling"), "gateway.autoscaling", null);
        if (replicas is not null && autoscaling.Mode == AutoscalingMode.Custom)
        {
            reader.Warning(SpecCodes.ReplicasIgnored, map.Get("replicas")!, "'gateway.replicas' is ignored: 'gateway.autoscaling' owns the replica count");
        }

        return new GatewaySpec
        {
            Enabled = enabled,
            Name = name,
            Image = image,
            Port = port,
            Replicas = replicas,
            Autoscaling = autoscaling.Mode == AutoscalingMode.Custom ? autoscaling.Spec : null,
            Resources = CommonParsers.Resources(reader, map.Get("resources"), "gateway.resources"),
            Servers = Servers(reader, map),
            SessionKey = RemoteRef(reader, map, "sessionKey"),
            Auth = Auth(reader, map),
            RateLimit = RateLimit(reader, map.Get("rateLimit"), "gateway.rateLimit"),
        };
    }

    private static List<GatewayServerSpec>? Servers(SpecReader reader, MappingReader parent)
    {
        var node = parent.Get("servers");
        var items = reader.Sequence(node, "gateway.servers");
        if (items is null)
        {
            return null;
        }

        if (items.Count == 0)
        {
            reader.Error(SpecCodes.InvalidGateway, node!, "'gateway.servers' is empty; leave it out to front every server, or list the servers");
        }

        var result = new List<GatewayServerSpec>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"gateway.servers[{i}]";
            if (items[i] is YScalar)
            {
                // A plain name: the server with its own name as prefix and every tool.
                if (reader.String(items[i], path) is { Length: > 0 } plain)
                {
                    reader.Record($"gateway.servers.{plain}", items[i]);
                    result.Add(new GatewayServerSpec(plain));
                }

                continue;
            }

            var map = reader.Mapping(items[i], path, s_serverKeys);
            if (map is null || map.String("name", required: true) is not { Length: > 0 } name)
            {
                continue;
            }

            reader.Record($"gateway.servers.{name}", map.Get("name")!);
            var prefix = map.String("prefix");
            if (prefix is { Length: > 0 } && !Prefix().IsMatch(prefix))
            {
                reader.Error(SpecCodes.InvalidGateway, map.Get("prefix")!,
                    $"'{path}.prefix' may hold only letters, digits, '-' and '.' (at most 32), or be empty: '{prefix}'");
            }

            var timeout = map.String("timeout");
            if (timeout is not null && !(Durations.TryParse(timeout, allowSeconds: true, out var span) && span > TimeSpan.Zero))
            {
                reader.Error(SpecCodes.InvalidGateway, map.Get("timeout")!, $"'{path}.timeout' must be a duration such as 500ms, 30s or 2m, not '{timeout}'");
            }

            result.Add(new GatewayServerSpec(name, prefix, Globs(reader, map, "tools"), timeout));
        }

        return result;
    }

    private static GatewayAuthSpec? Auth(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("auth"), "gateway.auth", s_authKeys);
        if (map is null)
        {
            return null;
        }

        var callers = new List<GatewayCallerSpec>();
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = reader.Sequence(map.Get("callers"), "gateway.auth.callers") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"gateway.auth.callers[{i}]";
            var caller = reader.Mapping(items[i], path, s_callerKeys);
            if (caller is null || caller.String("name", required: true) is not { Length: > 0 } name)
            {
                continue;
            }

            var nameNode = caller.Get("name")!;
            if (name.StartsWith('_'))
            {
                reader.Error(SpecCodes.InvalidGateway, nameNode, $"'{path}.name' may not start with '_' (the gateway's own caller names do): '{name}'");
            }
            else if (names.TryGetValue(name, out var first))
            {
                reader.Error(SpecCodes.InvalidGateway, nameNode, $"caller '{name}' is already listed at line {first.Line}");
            }

            names.TryAdd(name, nameNode);
            var spec = new GatewayCallerSpec(name, RemoteRef(reader, caller, "apiKey"), Globs(reader, caller, "tools"), RateLimit(reader, caller.Get("rateLimit"), $"{path}.rateLimit"));
            if (spec.ApiKey is not null && !variables.TryAdd(spec.ApiKeyVariable, name))
            {
                reader.Error(SpecCodes.InvalidGateway, nameNode,
                    $"callers '{variables[spec.ApiKeyVariable]}' and '{name}' both keep their key in {spec.ApiKeyVariable}; rename one");
            }

            callers.Add(spec);
        }

        var jwt = Jwt(reader, map);
        if (callers.All(c => c.ApiKey is null) && jwt is null && map.Get("jwt") is null)
        {
            reader.Error(SpecCodes.InvalidGateway, map.Node,
                "'gateway.auth' needs a caller with an 'apiKey' or a 'jwt'; leave 'auth' out for anonymous callers");
        }

        return new GatewayAuthSpec { Callers = callers, Jwt = jwt, DefaultTools = Globs(reader, map, "defaultTools") };
    }

    private static GatewayJwtSpec? Jwt(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("jwt"), "gateway.auth.jwt", s_jwtKeys);
        if (map is null)
        {
            return null;
        }

        var issuer = map.String("issuer", required: true);
        var audience = map.String("audience", required: true);
        var jwksUrl = map.String("jwksUrl", required: true);
        if (jwksUrl is { Length: > 0 } && !(Uri.TryCreate(jwksUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps))
        {
            reader.Error(SpecCodes.InvalidGateway, map.Get("jwksUrl")!, $"'gateway.auth.jwt.jwksUrl' must be an absolute https URL: '{jwksUrl}'");
        }

        return issuer is { Length: > 0 } && audience is { Length: > 0 } && jwksUrl is { Length: > 0 }
            ? new GatewayJwtSpec(issuer, audience, jwksUrl, map.String("callerClaim"), map.String("resource"))
            : null;
    }

    private static GatewayRateLimitSpec? RateLimit(SpecReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, s_rateLimitKeys);
        if (map is null)
        {
            return null;
        }

        var rateNode = map.Get("requestsPerSecond", required: true);
        double? rate = null;
        if (rateNode is YScalar { IsNumber: true } number
            && double.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && parsed is > 0 and <= 1_000_000)
        {
            rate = parsed;
        }
        else if (rateNode is not null)
        {
            reader.Error(SpecCodes.InvalidGateway, rateNode, $"'{path}.requestsPerSecond' must be a number above 0 (at most 1000000), not {rateNode.Describe()}");
        }

        var burst = map.Int("burst");
        if (burst is < 1 or > 10_000_000)
        {
            reader.Error(SpecCodes.InvalidGateway, map.Get("burst")!, $"'{path}.burst' must be within 1..10000000, not {burst}");
        }

        return rate is { } r ? new GatewayRateLimitSpec(r, burst) : null;
    }

    private static string? RemoteRef(SpecReader reader, MappingReader map, string key)
    {
        var value = map.String(key);
        if (value is { Length: 0 } || value?.Any(char.IsWhiteSpace) == true)
        {
            reader.Error(SpecCodes.InvalidGateway, map.Get(key)!, $"'{map.ChildPath(key)}' must be a key of the secret store, e.g. sophia.gateway.session_key: '{value}'");
            return null;
        }

        return value;
    }

    private static List<string>? Globs(SpecReader reader, MappingReader map, string key)
    {
        if (map.StringList(key) is not { } globs)
        {
            return null;
        }

        for (var i = 0; i < globs.Count; i++)
        {
            if (globs[i].Length == 0)
            {
                reader.Error(SpecCodes.InvalidGateway, map.Get(key)!, $"'{map.ChildPath(key)}[{i}]' is empty");
            }
        }

        return [.. globs];
    }

    // The gateway's own rule (GatewayConfigLoader): '_' and '+' separate a prefix from a name or a URI.
    [GeneratedRegex("^[A-Za-z0-9.-]{1,32}$")]
    private static partial Regex Prefix();
}
