using System.Globalization;
using McpFleet.Spec;
using McpFleet.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace McpFleet.Import;

/// <summary>
/// Writes a <see cref="FleetSpec"/> as <c>fleet.yaml</c> and <c>values/&lt;server&gt;.yaml</c> through YamlDotNet's
/// emitter: keys in the document's order, strings quoted whenever YAML would read them as another type.
/// </summary>
public static class FleetSpecYamlWriter
{
    /// <summary>The first line of a <c>fleet.yaml</c> written by the importer; it marks a directory as a previous import.</summary>
    public const string ImportMarker = "Imported by `mcpfleet import compose`.";

    /// <summary>Writes <c>fleet.yaml</c>.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="headerComments">Comment lines for the top of the file (each without <c>#</c>).</param>
    /// <returns>The YAML text.</returns>
    public static string WriteFleet(FleetSpec spec, IReadOnlyList<string> headerComments)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(headerComments);
        return Emit(e =>
        {
            foreach (var line in headerComments)
            {
                e.Emit(new Comment(line, false));
            }

            e.Emit(new MappingStart());
            Optional(e, "name", spec.Name);
            Pair(e, "namespace", spec.Namespace);
            Optional(e, "image", spec.Image);
            Optional(e, "environment", spec.Environment);
            if (spec.Env.Count > 0)
            {
                Key(e, "env");
                Map(e, spec.Env);
            }

            if (spec.SecretStore is { } store)
            {
                Key(e, "secretStore");
                e.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                Pair(e, "name", store.Name);
                Pair(e, "kind", store.Kind);
                Optional(e, "refreshInterval", store.RefreshInterval);
                e.Emit(new MappingEnd());
            }

            Optional(e, "externalSecretApiVersion", spec.ExternalSecretApiVersion);
            if (spec.Ports is { } ports)
            {
                Key(e, "ports");
                e.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                Pair(e, "min", ports.Min);
                Pair(e, "max", ports.Max);
                e.Emit(new MappingEnd());
            }

            if (spec.Callers is { Count: > 0 } callers)
            {
                Key(e, "callers");
                Map(e, callers);
            }

            if (spec.MetricsPort is { } metrics)
            {
                Pair(e, "metricsPort", metrics);
            }

            if (spec.Phases.Count > 0)
            {
                Key(e, "phases");
                e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var phase in spec.Phases)
                {
                    e.Emit(new MappingStart());
                    Pair(e, "name", phase.Name);
                    Key(e, "servers");
                    FlowList(e, phase.Servers);
                    e.Emit(new MappingEnd());
                }

                e.Emit(new SequenceEnd());
            }

            e.Emit(new MappingEnd());
        });
    }

    /// <summary>Writes one <c>values/&lt;server&gt;.yaml</c>.</summary>
    /// <param name="server">The server.</param>
    /// <returns>The YAML text.</returns>
    public static string WriteServer(ServerSpec server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Emit(e =>
        {
            e.Emit(new MappingStart());
            Pair(e, "name", server.Name);
            Pair(e, "port", server.Port);
            if (server.Replicas is { } replicas)
            {
                Pair(e, "replicas", replicas);
            }

            Pair(e, "version", server.Version);
            if (server.Resources is { } resources && (HasAny(resources.Requests) || HasAny(resources.Limits)))
            {
                Key(e, "resources");
                e.Emit(new MappingStart());
                Quantities(e, "requests", resources.Requests);
                Quantities(e, "limits", resources.Limits);
                e.Emit(new MappingEnd());
            }

            Pair(e, "tools", server.Tools);
            Pair(e, "description", server.Description);
            if (server.Secrets.Count > 0)
            {
                Key(e, "secrets");
                e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var secret in server.Secrets)
                {
                    e.Emit(new MappingStart());
                    Pair(e, "name", secret.Name);
                    Pair(e, "remoteRef", secret.RemoteRef);
                    e.Emit(new MappingEnd());
                }

                e.Emit(new SequenceEnd());
            }

            Optional(e, "image", server.Image);
            if (server.Gpu is { } gpu)
            {
                Key(e, "gpu");
                e.Emit(new MappingStart());
                Pair(e, "type", gpu.Type);
                Pair(e, "count", gpu.Count);
                Optional(e, "runtimeClassName", gpu.RuntimeClassName);
                e.Emit(new MappingEnd());
            }

            if (server.Env.Count > 0)
            {
                Key(e, "env");
                Map(e, server.Env);
            }

            if (server.DependsOn.Count > 0)
            {
                Key(e, "dependsOn");
                FlowList(e, server.DependsOn);
            }

            if (server.Egress.Count > 0)
            {
                Key(e, "egress");
                e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var rule in server.Egress)
                {
                    e.Emit(new MappingStart());
                    Optional(e, "host", rule.Host);
                    Optional(e, "cidr", rule.Cidr);
                    Key(e, "ports");
                    e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
                    foreach (var port in rule.Ports)
                    {
                        e.Emit(new Scalar(port.ToString(CultureInfo.InvariantCulture)));
                    }

                    e.Emit(new SequenceEnd());
                    e.Emit(new MappingEnd());
                }

                e.Emit(new SequenceEnd());
            }

            if (server.Probes is { } probes)
            {
                Key(e, "probes");
                e.Emit(new MappingStart());
                OptionalInt(e, "startupFailureThreshold", probes.StartupFailureThreshold);
                OptionalInt(e, "startupPeriodSeconds", probes.StartupPeriodSeconds);
                OptionalInt(e, "livenessPeriodSeconds", probes.LivenessPeriodSeconds);
                OptionalInt(e, "readinessPeriodSeconds", probes.ReadinessPeriodSeconds);
                OptionalInt(e, "timeoutSeconds", probes.TimeoutSeconds);
                Optional(e, "healthPath", probes.HealthPath);
                Optional(e, "readyPath", probes.ReadyPath);
                e.Emit(new MappingEnd());
            }

            if (server.Transport == ServerTransport.Stdio)
            {
                Optional(e, "transport", "stdio");
            }

            List(e, "command", server.Command);
            List(e, "args", server.Args);
            if (server.Labels.Count > 0)
            {
                Key(e, "labels");
                Map(e, server.Labels);
            }

            e.Emit(new MappingEnd());
        });
    }

    private static string Emit(Action<IEmitter> body)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings().WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        body(emitter);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Key(IEmitter e, string key) => e.Emit(new Scalar(key));

    private static void Pair(IEmitter e, string key, string value)
    {
        Key(e, key);
        Value(e, value);
    }

    private static void Pair(IEmitter e, string key, int value)
    {
        Key(e, key);
        e.Emit(new Scalar(value.ToString(CultureInfo.InvariantCulture)));
    }

    private static void Optional(IEmitter e, string key, string? value)
    {
        if (value is not null)
        {
            Pair(e, key, value);
        }
    }

    private static void OptionalInt(IEmitter e, string key, int? value)
    {
        if (value is { } v)
        {
            Pair(e, key, v);
        }
    }

    private static bool HasAny(ResourceQuantities? quantities) => quantities?.Cpu is not null || quantities?.Memory is not null;

    private static void Quantities(IEmitter e, string key, ResourceQuantities? quantities)
    {
        if (quantities is null || !HasAny(quantities))
        {
            return;
        }

        Key(e, key);
        e.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
        Optional(e, "cpu", quantities.Cpu);
        Optional(e, "memory", quantities.Memory);
        e.Emit(new MappingEnd());
    }

    private static void Map(IEmitter e, IReadOnlyDictionary<string, string> map)
    {
        e.Emit(new MappingStart());
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Value(e, key);
            Value(e, value);
        }

        e.Emit(new MappingEnd());
    }

    private static void FlowList(IEmitter e, IEnumerable<string> items)
    {
        e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
        foreach (var item in items)
        {
            Value(e, item);
        }

        e.Emit(new SequenceEnd());
    }

    private static void List(IEmitter e, string key, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return;
        }

        Key(e, key);
        e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
        foreach (var item in items)
        {
            Value(e, item);
        }

        e.Emit(new SequenceEnd());
    }

    /// <summary>Emits a string, double-quoted when a YAML reader would take the plain form for a number, bool or null.</summary>
    private static void Value(IEmitter e, string value) =>
        e.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, YamlScalars.ReadsAsNonString(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));
}
