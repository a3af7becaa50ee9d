using System.Text.RegularExpressions;
using McpFleet.Spec.Yaml;
using McpFleet.Yaml;

namespace McpFleet.Spec.Validation;

/// <summary>Reads and checks <c>fleet.yaml</c> on its own; cross-file checks live in <see cref="FleetValidator"/>.</summary>
internal static partial class FleetFileParser
{
    /// <summary>The ExternalSecret apiVersion used unless the fleet names another.</summary>
    public const string ExternalSecretsV1 = FleetDefaults.ExternalSecretApiVersion;

    /// <summary>The older ExternalSecret apiVersion, still accepted for old operators.</summary>
    public const string ExternalSecretsV1Beta1 = "external-secrets.io/v1beta1";

    private static readonly string[] s_keys =
    [
        "name", "namespace", "image", "environment", "env", "secretStore", "externalSecretApiVersion", "ports",
        "metricsPort", "callers", "monitoringNamespace", "defaults", "phases", "gateway",
    ];

    private static readonly string[] s_secretStoreKeys = ["name", "kind", "refreshInterval"];
    private static readonly string[] s_portKeys = ["min", "max"];
    private static readonly string[] s_defaultsKeys = ["replicas", "resources", "autoscaling"];
    private static readonly string[] s_phaseKeys = ["name", "servers"];

    /// <summary>Reads <c>fleet.yaml</c>'s root; returns the spec (with placeholders where values were bad).</summary>
    public static FleetSpec Parse(SpecReader reader, YNode root)
    {
        var map = reader.Mapping(root, "", s_keys);
        if (map is null)
        {
            return new FleetSpec { Namespace = "", Source = reader.ToSourceMap() };
        }

        var ns = map.String("namespace", required: true);
        if (ns is { Length: > 0 })
        {
            CheckDnsLabel(reader, map.Get("namespace")!, "namespace", ns);
        }

        var name = map.String("name");
        if (name is not null)
        {
            CheckDnsLabel(reader, map.Get("name")!, "name", name);
        }

        var image = map.String("image");
        if (image is not null)
        {
            CheckImage(reader, map.Get("image")!, "image", image, allowPlaceholders: true);
        }

        var environment = map.String("environment");
        var env = EnvMap(reader, map.Get("env"), "env");
        var secretStore = SecretStore(reader, map);
        var apiVersion = ApiVersion(reader, map);
        var ports = Ports(reader, map);
        var metricsPort = map.Int("metricsPort");
        if (metricsPort is < 1 or > 65535)
        {
            reader.Error(SpecCodes.InvalidPort, map.Get("metricsPort")!, $"'metricsPort' must be within 1..65535, not {metricsPort}");
        }

        var callers = Callers(reader, map);
        var monitoring = map.String("monitoringNamespace");
        if (monitoring is not null)
        {
            CheckDnsLabel(reader, map.Get("monitoringNamespace")!, "monitoringNamespace", monitoring);
        }

        var defaults = Defaults(reader, map);
        var phases = Phases(reader, map);
        var gateway = GatewayParser.Parse(reader, map.Get("gateway"));

        return new FleetSpec
        {
            Name = name,
            Namespace = ns ?? "",
            Image = image,
            Environment = environment,
            Env = env,
            SecretStore = secretStore,
            ExternalSecretApiVersion = apiVersion,
            Ports = ports,
            MetricsPort = metricsPort,
            Callers = callers,
            MonitoringNamespace = monitoring,
            Defaults = defaults,
            Phases = phases,
            Gateway = gateway,
            Source = reader.ToSourceMap(),
        };
    }

    /// <summary>Reports a name that is not a DNS-1123 label, with the nearest one that is.</summary>
    public static bool CheckDnsLabel(SpecReader reader, YNode node, string path, string value)
    {
        if (SpecText.IsDnsLabel(value))
        {
            return true;
        }

        var suggestion = SpecText.SuggestDnsLabel(value);
        var hint = suggestion.Length > 0 && suggestion != value ? $"; use '{suggestion}'" : "";
        reader.Error(SpecCodes.InvalidName, node,
            $"'{path}' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63): '{value}'{hint}");
        return false;
    }

    /// <summary>Checks an image reference or pattern: no whitespace, and only the <c>{name}</c> and <c>{version}</c> placeholders.</summary>
    public static void CheckImage(SpecReader reader, YNode node, string path, string image, bool allowPlaceholders)
    {
        if (image.Length == 0 || image.Any(char.IsWhiteSpace))
        {
            reader.Error(SpecCodes.InvalidImage, node, $"'{path}' must be an image reference without spaces: '{image}'");
            return;
        }

        foreach (Match placeholder in Placeholder().Matches(image))
        {
            if (!allowPlaceholders || placeholder.Value is not "{name}" and not "{version}")
            {
                reader.Error(SpecCodes.InvalidImage, node, allowPlaceholders
                    ? $"'{path}' has an unknown placeholder {placeholder.Value}; only {{name}} and {{version}} are replaced"
                    : $"'{path}' is a full image reference and cannot hold the placeholder {placeholder.Value}");
            }
        }
    }

    /// <summary>Reads an env map, checking each name.</summary>
    public static IReadOnlyDictionary<string, string> EnvMap(SpecReader reader, YNode? node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in reader.StringMap(node, path) ?? [])
        {
            if (!SpecText.IsEnvName(key.Value))
            {
                reader.Error(SpecCodes.InvalidEnvName, key,
                    $"'{path}' name '{key.Value}' is not a valid env var name (letters, digits and '_', not starting with a digit); use '{SpecText.SuggestEnvName(key.Value)}'");
            }
            else if (RuntimeContract.EnvironmentVariables.IsSetByMcpFleet(key.Value))
            {
                reader.Error(SpecCodes.InvalidEnvName, key, $"'{path}.{key.Value}' is set by mcpfleet itself; remove it");
            }

            result[key.Value] = value;
        }

        return result;
    }

    private static SecretStoreSpec? SecretStore(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("secretStore"), "secretStore", s_secretStoreKeys);
        if (map is null)
        {
            return null;
        }

        var name = map.String("name", required: true);
        if (name is { Length: > 0 } && !SpecText.IsDnsSubdomain(name))
        {
            reader.Error(SpecCodes.InvalidSecretStore, map.Get("name")!, $"'secretStore.name' must be a DNS-1123 subdomain: '{name}'");
        }

        var kind = map.String("kind") ?? "SecretStore";
        if (kind is not "SecretStore" and not "ClusterSecretStore")
        {
            var suggestion = SpecText.Closest(kind, ["SecretStore", "ClusterSecretStore"]);
            reader.Error(SpecCodes.InvalidSecretStore, map.Get("kind")!,
                $"'secretStore.kind' must be SecretStore or ClusterSecretStore, not '{kind}'" + (suggestion is not null ? $"; did you mean '{suggestion}'?" : ""));
        }

        var refresh = map.String("refreshInterval");
        if (refresh is not null && !Durations.IsDuration(refresh))
        {
            reader.Error(SpecCodes.WrongType, map.Get("refreshInterval")!,
                $"'secretStore.refreshInterval' must be a duration such as 1h, 30m or 1h30m, not '{refresh}'");
        }

        return new SecretStoreSpec(name ?? "", kind, refresh);
    }

    private static string? ApiVersion(SpecReader reader, MappingReader map)
    {
        var apiVersion = map.String("externalSecretApiVersion");
        if (apiVersion is null)
        {
            return null;
        }

        var node = map.Get("externalSecretApiVersion")!;
        if (apiVersion == ExternalSecretsV1Beta1)
        {
            reader.Warning(SpecCodes.DeprecatedExternalSecretApiVersion, node,
                $"'{ExternalSecretsV1Beta1}' is no longer served by External Secrets Operator 0.17 and later; use '{ExternalSecretsV1}' unless the cluster runs an older operator");
        }
        else if (apiVersion != ExternalSecretsV1)
        {
            reader.Error(SpecCodes.InvalidExternalSecretApiVersion, node,
                $"'externalSecretApiVersion' must be '{ExternalSecretsV1}' (the default) or '{ExternalSecretsV1Beta1}', not '{apiVersion}'");
        }

        return apiVersion;
    }

    private static PortRange? Ports(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("ports"), "ports", s_portKeys);
        if (map is null)
        {
            return null;
        }

        var min = map.Int("min", required: true);
        var max = map.Int("max", required: true);
        var ok = true;
        foreach (var (key, value) in new[] { ("min", min), ("max", max) })
        {
            if (value is < 1 or > 65535)
            {
                reader.Error(SpecCodes.InvalidPort, map.Get(key)!, $"'ports.{key}' must be within 1..65535, not {value}");
                ok = false;
            }
        }

        if (ok && min > max)
        {
            reader.Error(SpecCodes.InvalidPort, map.Get("max")!, $"'ports.max' ({max}) is below 'ports.min' ({min})");
            ok = false;
        }

        return ok && min is not null && max is not null ? new PortRange(min.Value, max.Value) : null;
    }

    private static IReadOnlyDictionary<string, string>? Callers(SpecReader reader, MappingReader map)
    {
        var node = map.Get("callers", required: true);
        var entries = reader.StringMap(node, "callers");
        if (entries is null)
        {
            return null;
        }

        if (entries.Count == 0)
        {
            // An empty selector would admit every pod of the namespace to every MCP server.
            reader.Error(SpecCodes.Required, node!, $"'callers' needs at least one label, e.g. {string.Join(", ", FleetDefaults.Callers.Select(c => $"{c.Key}: {c.Value}"))}");
        }

        return LabelMap(reader, entries, "callers", checkReserved: false);
    }

    /// <summary>Checks label keys and values; with <paramref name="checkReserved"/>, rejects the labels McpFleet sets itself.</summary>
    public static IReadOnlyDictionary<string, string> LabelMap(
        SpecReader reader, IReadOnlyList<(YScalar Key, string Value)> entries, string path, bool checkReserved)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (!SpecText.IsLabelKey(key.Value))
            {
                reader.Error(SpecCodes.InvalidLabel, key, $"'{path}' key '{key.Value}' is not a valid label key");
            }
            else if (checkReserved && (key.Value is RuntimeContract.Labels.App or RuntimeContract.Labels.Tier or RuntimeContract.Labels.Version
                || key.Value.StartsWith("app.kubernetes.io/", StringComparison.Ordinal) || key.Value.StartsWith("mcpfleet.io/", StringComparison.Ordinal)))
            {
                reader.Error(SpecCodes.InvalidLabel, key, $"'{path}.{key.Value}' is set by mcpfleet itself; remove it");
            }

            if (!SpecText.IsLabelValue(value))
            {
                reader.Error(SpecCodes.InvalidLabel, key,
                    $"'{path}.{key.Value}' value '{value}' is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
            }

            result[key.Value] = value;
        }

        return result;
    }

    private static ServerDefaults? Defaults(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("defaults"), "defaults", s_defaultsKeys);
        if (map is null)
        {
            return null;
        }

        var replicas = map.Int("replicas");
        if (replicas < 1)
        {
            reader.Error(SpecCodes.InvalidReplicas, map.Get("replicas")!, $"'defaults.replicas' must be at least 1, not {replicas}");
        }

        var resources = CommonParsers.Resources(reader, map.Get("resources"), "defaults.resources");
        var autoscaling = CommonParsers.Autoscaling(reader, map.Get("autoscaling"), "defaults.autoscaling", null);
        return new ServerDefaults
        {
            Replicas = replicas,
            Resources = resources,
            Autoscaling = autoscaling.Mode == AutoscalingMode.Custom ? autoscaling.Spec : null,
        };
    }

    private static List<PhaseSpec> Phases(SpecReader reader, MappingReader parent)
    {
        var node = parent.Get("phases", required: true);
        var items = reader.Sequence(node, "phases");
        if (items is null)
        {
            return [];
        }

        if (items.Count == 0)
        {
            reader.Error(SpecCodes.InvalidPhase, node!, "'phases' is empty; list at least one phase with its servers");
        }

        var phases = new List<PhaseSpec>();
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"phases[{i}]";
            var map = reader.Mapping(items[i], path, s_phaseKeys);
            if (map is null)
            {
                continue;
            }

            var name = map.String("name", required: true);
            if (name is { Length: > 0 })
            {
                var nameNode = map.Get("name")!;
                if (CheckDnsLabel(reader, nameNode, $"{path}.name", name) && names.TryGetValue(name, out var first))
                {
                    reader.Error(SpecCodes.InvalidPhase, nameNode, $"phase name '{name}' is already used at line {first.Line}");
                }

                names.TryAdd(name, nameNode);
            }

            var serversNode = map.Get("servers", required: true);
            var servers = reader.StringList(serversNode, $"{path}.servers") ?? [];
            if (serversNode is YSeq { Items.Count: 0 })
            {
                reader.Error(SpecCodes.InvalidPhase, serversNode, $"phase '{name}' lists no servers");
            }

            phases.Add(new PhaseSpec(name ?? "", servers));
        }

        return phases;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
