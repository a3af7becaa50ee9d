using System.Net;
using McpFleet.Spec.Yaml;
using McpFleet.Yaml;

namespace McpFleet.Spec.Validation;

/// <summary>Reads and checks one <c>values/&lt;server&gt;.yaml</c> on its own; cross-file checks live in <see cref="FleetValidator"/>.</summary>
internal static class ServerFileParser
{
    private static readonly string[] s_keys =
    [
        "name", "port", "replicas", "version", "resources", "tools", "description", "secrets", "gpu", "autoscaling",
        "env", "dependsOn", "egress", "image", "sessionMode", "probes", "command", "args", "labels", "run",
        "transport", "proxy",
    ];

    private static readonly string[] s_secretKeys = ["name", "remoteRef"];
    private static readonly string[] s_gpuKeys = ["type", "count", "runtimeClassName"];
    private static readonly string[] s_egressKeys = ["host", "cidr", "ports"];
    private static readonly string[] s_runKeys = ["command", "args", "workingDirectory"];
    private static readonly string[] s_transports = ["http", "stdio"];

    private static readonly string[] s_proxyKeys =
        ["enabled", "image", "maxConcurrency", "requestTimeout", "initializeTimeout", "stopTimeout", "upstreamPort"];

    private static readonly string[] s_probeKeys =
    [
        "healthPath", "readyPath",
        "startupFailureThreshold", "startupPeriodSeconds", "livenessPeriodSeconds", "readinessPeriodSeconds", "timeoutSeconds",
    ];

    /// <summary>Reads a values file. <paramref name="fileStem"/> stands in for a missing or unreadable name.</summary>
    public static ServerSpec Parse(SpecReader reader, YNode root, string fileStem, ServerDefaults? defaults)
    {
        var map = reader.Mapping(root, "", s_keys);
        if (map is null)
        {
            return new ServerSpec { Name = fileStem, Port = 0, Version = "", Source = reader.ToSourceMap() };
        }

        var name = Name(reader, map, fileStem);
        var port = map.Int("port", required: true);
        if (port is < 1 or > 65535)
        {
            reader.Error(SpecCodes.InvalidPort, map.Get("port")!, $"'port' must be within 1..65535, not {port}");
            port = null;
        }

        var replicas = map.Int("replicas");
        if (replicas < 1)
        {
            reader.Error(SpecCodes.InvalidReplicas, map.Get("replicas")!,
                $"'replicas' must be at least 1, not {replicas}; to stop a server, remove it from its phase");
        }

        var version = Version(reader, map);
        var resources = CommonParsers.Resources(reader, map.Get("resources"), "resources");
        var tools = map.Int("tools");
        if (tools < 0)
        {
            reader.Error(SpecCodes.InvalidNumber, map.Get("tools")!, $"'tools' must be zero or more, not {tools}");
        }

        var description = map.String("description");
        var secrets = Secrets(reader, map);
        var gpu = Gpu(reader, map);
        var autoscaling = CommonParsers.Autoscaling(reader, map.Get("autoscaling"), "autoscaling", defaults?.Autoscaling);
        var env = FleetFileParser.EnvMap(reader, map.Get("env"), "env");
        foreach (var secret in secrets.DistinctBy(s => s.Name))
        {
            if (env.ContainsKey(secret.Name) && map.Get("env") is YMap envNode)
            {
                reader.Error(SpecCodes.DuplicateSecret, envNode.Entries.First(e => e.Key.Value == secret.Name).Key,
                    $"'env.{secret.Name}' is also a secret; the secret would silently lose, so keep one of them");
            }
        }

        var dependsOn = map.StringList("dependsOn") ?? [];
        var egress = Egress(reader, map);
        var image = map.String("image");
        if (image is not null)
        {
            FleetFileParser.CheckImage(reader, map.Get("image")!, "image", image, allowPlaceholders: false);
        }

        var sessionMode = Session(reader, map);
        var probes = Probes(reader, map);
        var command = map.StringList("command");
        var args = map.StringList("args");
        var labels = FleetFileParser.LabelMap(reader, reader.StringMap(map.Get("labels"), "labels") ?? [], "labels", checkReserved: true);
        var run = Run(reader, map);
        var transport = Transport(reader, map);
        var proxy = Proxy(reader, map);
        CheckProxy(reader, map, transport, proxy, port, command, probes);

        return new ServerSpec
        {
            Name = name,
            Port = port ?? 0,
            Version = version ?? "",
            Replicas = replicas,
            Resources = resources,
            Tools = tools ?? 0,
            Description = description ?? "",
            Secrets = secrets,
            Gpu = gpu,
            Autoscaling = autoscaling,
            Env = env,
            DependsOn = dependsOn,
            Egress = egress,
            Image = image,
            SessionMode = sessionMode,
            Probes = probes,
            Command = command,
            Args = args,
            Labels = labels,
            Run = run,
            Transport = transport,
            Proxy = proxy,
            Source = reader.ToSourceMap(),
        };
    }

    private static string Name(SpecReader reader, MappingReader map, string fileStem)
    {
        var name = map.String("name", required: true);
        if (name is not { Length: > 0 })
        {
            return fileStem;
        }

        var node = map.Get("name")!;
        if (!FleetFileParser.CheckDnsLabel(reader, node, "name", name))
        {
            // MCF010 gave the valid form; a mismatch with the file is reported only when that form does not fix it too,
            // and never by proposing a file named after the invalid name (team/slack.yaml cannot exist).
            var suggestion = SpecText.SuggestDnsLabel(name);
            if (name != fileStem && suggestion != fileStem)
            {
                var keep = SpecText.IsDnsLabel(fileStem) ? $"write name: {fileStem} to match the file, or " : "";
                reader.Error(SpecCodes.FileNameMismatch, node,
                    $"'name' is '{name}' but the file is '{fileStem}.yaml'; {keep}name the server '{suggestion}' and its file '{suggestion}.yaml'");
            }

            // The file stands in for a name that cannot be one, as for a missing name, so the phases and dependencies that
            // list the file's server are not also reported as naming a server that does not exist.
            return fileStem;
        }

        if (name.Length > SpecText.MaxServerNameLength)
        {
            reader.Error(SpecCodes.NameTooLong, node,
                $"'name' is {name.Length} characters; at most {SpecText.MaxServerNameLength} fit, because the Helm release name mcp-{{name}} is limited to 53 (and mcp-{{name}}-secrets to 63)");
        }

        if (name != fileStem)
        {
            reader.Error(SpecCodes.FileNameMismatch, node,
                $"'name' is '{name}' but the file is '{fileStem}.yaml'; rename the file to '{name}.yaml' or fix the name");
        }

        return name;
    }

    private static string? Version(SpecReader reader, MappingReader map)
    {
        var node = map.Get("version", required: true);
        if (node is YScalar { IsNumber: true } number)
        {
            // version: 2.0 is the float 2 to YAML (and 2.10 becomes 2.1); the document quotes it for this reason.
            reader.Error(SpecCodes.WrongType, node,
                $"'version' must be a quoted string, not {number.Describe()}; write version: \"{Complete(number.Value)}\"");
            return null;
        }

        if (node is null)
        {
            return null;
        }

        var version = map.String("version", required: true);
        if (version is { Length: > 0 } && SpecText.CheckVersion(version) is { } problem)
        {
            reader.Error(SpecCodes.InvalidVersion, node!, $"'version' is not a semantic version: '{version}'; {problem}");
            return null;
        }

        return version;
    }

    private static string Complete(string number)
    {
        var parts = number.Split('.');
        return parts.Length < 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            ? string.Join('.', parts.Concat(Enumerable.Repeat("0", 3 - parts.Length)))
            : number;
    }

    private static List<SecretSpec> Secrets(SpecReader reader, MappingReader parent)
    {
        var result = new List<SecretSpec>();
        var items = reader.Sequence(parent.Get("secrets"), "secrets");
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var path = $"secrets[{i}]";
            var map = reader.Mapping(items![i], path, s_secretKeys);
            if (map is null)
            {
                continue;
            }

            var name = map.String("name", required: true);
            var remoteRef = map.String("remoteRef", required: true);
            if (name is { Length: > 0 })
            {
                var node = map.Get("name")!;
                if (!SpecText.IsEnvName(name))
                {
                    reader.Error(SpecCodes.InvalidSecretName, node,
                        $"'{path}.name' becomes an env var and must match ^[A-Za-z_][A-Za-z0-9_]*$: '{name}'; use '{SpecText.SuggestEnvName(name)}'");
                }
                else if (RuntimeContract.EnvironmentVariables.IsSetByMcpFleet(name))
                {
                    reader.Error(SpecCodes.InvalidSecretName, node, $"'{path}.name' '{name}' is an env var that mcpfleet sets itself; rename the secret");
                }
                else if (seen.TryGetValue(name, out var first))
                {
                    reader.Error(SpecCodes.DuplicateSecret, node, $"secret '{name}' is already declared at line {first.Line}");
                }

                seen.TryAdd(name, node);
            }

            if (name is { Length: > 0 } && remoteRef is { Length: > 0 })
            {
                result.Add(new SecretSpec(name, remoteRef));
            }
        }

        return result;
    }

    private static GpuSpec? Gpu(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("gpu"), "gpu", s_gpuKeys);
        if (map is null)
        {
            return null;
        }

        var type = map.String("type", required: true);
        if (type is { Length: > 0 } && !SpecText.IsLabelValue(type))
        {
            reader.Error(SpecCodes.InvalidGpu, map.Get("type")!, $"'gpu.type' becomes the gpu-type node label and must be a valid label value: '{type}'");
        }

        var count = map.Int("count") ?? 1;
        if (count < 1)
        {
            reader.Error(SpecCodes.InvalidGpu, map.Get("count")!, $"'gpu.count' must be at least 1, not {count}; remove 'gpu' for a CPU server");
        }

        var runtimeClass = map.String("runtimeClassName");
        if (runtimeClass is not null && !SpecText.IsDnsSubdomain(runtimeClass))
        {
            reader.Error(SpecCodes.InvalidGpu, map.Get("runtimeClassName")!, $"'gpu.runtimeClassName' must be a DNS-1123 subdomain: '{runtimeClass}'");
        }

        return new GpuSpec(type ?? "", count, runtimeClass);
    }

    private static List<EgressRule> Egress(SpecReader reader, MappingReader parent)
    {
        var result = new List<EgressRule>();
        var items = reader.Sequence(parent.Get("egress"), "egress");
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var path = $"egress[{i}]";
            var map = reader.Mapping(items![i], path, s_egressKeys);
            if (map is null)
            {
                continue;
            }

            var host = map.String("host");
            var cidr = map.String("cidr");
            if (map.Has("host") == map.Has("cidr"))
            {
                reader.Error(SpecCodes.InvalidEgressTarget, map.Node, !map.Has("host")
                    ? $"'{path}' needs either 'host' (e.g. api.github.com) or 'cidr' (e.g. 10.20.0.0/16)"
                    : $"'{path}' has both 'host' and 'cidr'; write one rule for each");
            }

            if (host is not null && !SpecText.IsDnsSubdomain(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host))
            {
                reader.Error(SpecCodes.InvalidEgressTarget, map.Get("host")!, $"'{path}.host' must be a lower-case DNS name such as api.github.com, not '{host}'");
            }

            if (cidr is not null && CheckCidr(cidr) is { } cidrProblem)
            {
                reader.Error(SpecCodes.InvalidCidr, map.Get("cidr")!, $"'{path}.cidr' is not a valid CIDR: '{cidr}'; {cidrProblem}");
            }

            var ports = new List<int>();
            var portItems = map.Has("ports") ? reader.Sequence(map.Get("ports"), $"{path}.ports") : null;
            if (portItems is { Count: 0 })
            {
                reader.Error(SpecCodes.InvalidPort, map.Get("ports")!, $"'{path}.ports' is empty; leave it out for 443, or list the ports");
            }

            for (var p = 0; p < (portItems?.Count ?? 0); p++)
            {
                var port = reader.Int(portItems![p], $"{path}.ports[{p}]");
                if (port is < 1 or > 65535)
                {
                    reader.Error(SpecCodes.InvalidPort, portItems[p], $"'{path}.ports[{p}]' must be within 1..65535, not {port}");
                }
                else if (port is not null)
                {
                    ports.Add(port.Value);
                }
            }

            result.Add(new EgressRule(host, cidr, map.Has("ports") ? ports : [443]));
        }

        return result;
    }

    /// <summary>Checks a CIDR strictly: an address, a prefix length, and no address bits set after the prefix.</summary>
    private static string? CheckCidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address)
            || !int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix > address.GetAddressBytes().Length * 8)
        {
            return "write an address and a prefix length, e.g. 10.20.0.0/16";
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        var network = new IPAddress(bytes);
        return network.Equals(address) ? null : $"the address has bits set after the /{prefix} prefix; did you mean '{network}/{prefix}'?";
    }

    private static SessionMode Session(SpecReader reader, MappingReader map)
    {
        var mode = map.String("sessionMode");
        switch (mode)
        {
            case null or "stateless":
                return SessionMode.Stateless;
            case "stateful":
                return SessionMode.Stateful;
            default:
                var suggestion = SpecText.Closest(mode, ["stateless", "stateful"]);
                reader.Error(SpecCodes.InvalidSessionMode, map.Get("sessionMode")!,
                    $"'sessionMode' must be stateless or stateful, not '{mode}'" + (suggestion is not null ? $"; did you mean '{suggestion}'?" : ""));
                return SessionMode.Stateless;
        }
    }

    private static ProbeOverrides? Probes(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("probes"), "probes", s_probeKeys);
        if (map is null)
        {
            return null;
        }

        int? Positive(string key)
        {
            var value = map.Int(key);
            if (value < 1)
            {
                reader.Error(SpecCodes.InvalidNumber, map.Get(key)!, $"'probes.{key}' must be at least 1, not {value}");
                return null;
            }

            return value;
        }

        string? Path(string key)
        {
            var value = map.String(key);
            if (value is not null && SpecText.CheckProbePath(value) is { } problem)
            {
                reader.Error(SpecCodes.InvalidProbePath, map.Get(key)!, $"'probes.{key}' is not a probe path: '{value}'; {problem}");
                return null;
            }

            return value;
        }

        return new ProbeOverrides
        {
            HealthPath = Path("healthPath"),
            ReadyPath = Path("readyPath"),
            StartupFailureThreshold = Positive("startupFailureThreshold"),
            StartupPeriodSeconds = Positive("startupPeriodSeconds"),
            LivenessPeriodSeconds = Positive("livenessPeriodSeconds"),
            ReadinessPeriodSeconds = Positive("readinessPeriodSeconds"),
            TimeoutSeconds = Positive("timeoutSeconds"),
        };
    }

    private static LocalRunSpec? Run(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("run"), "run", s_runKeys);
        if (map is null)
        {
            return null;
        }

        var command = map.String("command", required: true);
        var args = map.StringList("args") ?? [];
        var workingDirectory = map.String("workingDirectory");
        return command is { Length: > 0 } ? new LocalRunSpec(command, args, workingDirectory) : null;
    }

    private static ServerTransport Transport(SpecReader reader, MappingReader map)
    {
        var transport = map.String("transport");
        switch (transport)
        {
            case null or "http":
                return ServerTransport.Http;
            case "stdio":
                return ServerTransport.Stdio;
            default:
                var suggestion = SpecText.Closest(transport, s_transports);
                reader.Error(SpecCodes.InvalidTransport, map.Get("transport")!,
                    $"'transport' must be http or stdio, not '{transport}'" + (suggestion is not null ? $"; did you mean '{suggestion}'?" : ""));
                return ServerTransport.Http;
        }
    }

    private static ProxySpec? Proxy(SpecReader reader, MappingReader parent)
    {
        var map = reader.Mapping(parent.Get("proxy"), "proxy", s_proxyKeys);
        if (map is null)
        {
            return null;
        }

        bool? enabled = null;
        if (map.Get("enabled") is { } enabledNode)
        {
            enabled = enabledNode is YScalar { IsBool: true } flag ? flag.AsBool() : null;
            if (enabled is null)
            {
                reader.Error(SpecCodes.WrongType, enabledNode, $"'proxy.enabled' must be true or false, not {enabledNode.Describe()}");
            }
        }

        var image = map.String("image");
        if (image is not null)
        {
            FleetFileParser.CheckImage(reader, map.Get("image")!, "proxy.image", image, allowPlaceholders: false);
        }

        var maxConcurrency = map.Int("maxConcurrency");
        if (maxConcurrency < 1)
        {
            reader.Error(SpecCodes.InvalidProxy, map.Get("maxConcurrency")!, $"'proxy.maxConcurrency' must be at least 1, not {maxConcurrency}");
            maxConcurrency = null;
        }

        string? Duration(string key)
        {
            var value = map.String(key);
            if (value is not null && !(Durations.TryParse(value, allowSeconds: false, out var duration) && duration > TimeSpan.Zero))
            {
                reader.Error(SpecCodes.InvalidProxy, map.Get(key)!, $"'proxy.{key}' must be a positive duration such as 500ms, 30s or 2m, not '{value}'");
                return null;
            }

            return value;
        }

        var upstreamPort = map.Int("upstreamPort");
        if (upstreamPort is < 1 or > 65535)
        {
            reader.Error(SpecCodes.InvalidUpstreamPort, map.Get("upstreamPort")!, $"'proxy.upstreamPort' must be within 1..65535, not {upstreamPort}");
            upstreamPort = null;
        }

        return new ProxySpec
        {
            Enabled = enabled,
            Image = image,
            MaxConcurrency = maxConcurrency,
            RequestTimeout = Duration("requestTimeout"),
            InitializeTimeout = Duration("initializeTimeout"),
            StopTimeout = Duration("stopTimeout"),
            UpstreamPort = upstreamPort,
        };
    }

    /// <summary>The checks between <c>transport</c>, <c>proxy</c>, <c>command</c>, <c>port</c> and <c>probes</c>.</summary>
    private static void CheckProxy(SpecReader reader, MappingReader map, ServerTransport transport, ProxySpec? proxy, int? port, IReadOnlyList<string>? command, ProbeOverrides? probes)
    {
        var proxyMap = map.Get("proxy") as YMap;
        YNode At(string key) => proxyMap?.Entries.FirstOrDefault(e => e.Key.Value == key).Value ?? (YNode?)proxyMap ?? map.Node;
        var stdio = transport == ServerTransport.Stdio;
        var on = proxy?.Enabled ?? stdio;
        if (stdio && command is not { Count: > 0 })
        {
            reader.Error(SpecCodes.StdioCommandMissing, map.Get("transport") ?? map.Node,
                "a stdio server needs 'command' (and 'args'): the command mcpfleet-proxy starts, e.g. command: [mcp-server-github]");
        }

        if (stdio && proxy?.Enabled == false)
        {
            reader.Error(SpecCodes.InvalidProxy, At("enabled"),
                "a stdio server cannot run without the proxy (nothing else serves its port); remove 'proxy.enabled: false'");
        }

        if (!on && proxyMap is not null)
        {
            var set = proxyMap.Entries.Select(e => e.Key.Value).Where(k => k != "enabled").ToList();
            if (set.Count > 0)
            {
                reader.Error(SpecCodes.InvalidProxy, At(set[0]),
                    $"'proxy.{set[0]}' has no effect: the proxy is off for an http server; add 'proxy.enabled: true' or remove it");
            }
        }

        if (on && !stdio && proxy?.UpstreamPort is null && !(proxyMap?.Entries.Any(e => e.Key.Value == "upstreamPort") ?? false))
        {
            reader.Error(SpecCodes.InvalidUpstreamPort, At("enabled"),
                "an http server behind the proxy needs 'proxy.upstreamPort': the port it listens on, on localhost (its SERVER_PORT)");
        }

        if (stdio && proxy?.UpstreamPort is not null)
        {
            reader.Error(SpecCodes.InvalidUpstreamPort, At("upstreamPort"),
                "'proxy.upstreamPort' is for an http server behind the proxy; a stdio server listens on no port");
        }

        if (on && proxy?.UpstreamPort is { } upstream && upstream == port)
        {
            reader.Error(SpecCodes.InvalidUpstreamPort, At("upstreamPort"),
                $"'proxy.upstreamPort' {upstream} is the MCP port, which the proxy serves in the same pod; choose another, e.g. {(upstream == 8080 ? 8081 : 8080)}");
        }

        if (on && probes is not null && (probes.HealthPath ?? probes.ReadyPath) is not null)
        {
            var key = probes.HealthPath is not null ? "healthPath" : "readyPath";
            reader.Error(SpecCodes.ProbePathsBehindProxy, map.Get("probes") is YMap probeMap ? probeMap.Entries.First(e => e.Key.Value == key).Value : map.Node,
                $"'probes.{key}' is for a server that serves other probe paths without the proxy; mcpfleet-proxy serves {RuntimeContract.HealthPath} and {RuntimeContract.ReadyPath} itself, so remove it");
        }
    }
}
