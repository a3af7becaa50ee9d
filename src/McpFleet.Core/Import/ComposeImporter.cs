using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Import.Passes;
using McpFleet.Spec;
using McpFleet.Spec.Validation;

namespace McpFleet.Import;

/// <summary>Options of <see cref="ComposeImporter.Import"/>.</summary>
public sealed record ComposeImportOptions
{
    /// <summary>Gets the Compose files, in override order (later files win).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Gets the directory that relative paths resolve against and that the report shows paths relative to.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Gets the env file for <c>${VAR}</c>; <see langword="null"/> reads <c>.env</c> beside the first file, if any.</summary>
    public string? EnvFile { get; init; }

    /// <summary>Gets the fleet namespace; <see langword="null"/> means <see cref="FleetDefaults.Namespace"/>.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the first part of every remoteRef; <see langword="null"/> means <see cref="FleetDefaults.SecretPrefix"/>.</summary>
    public string? SecretPrefix { get; init; }

    /// <summary>Gets the labels of the pods allowed to call the servers; empty means <see cref="FleetDefaults.Callers"/>.</summary>
    public IReadOnlyDictionary<string, string> Callers { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the non-MCP services to import anyway.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Gets the services to leave out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>
    /// Gets the Compose profiles to enable, as <c>docker compose --profile</c> does: a service with <c>profiles</c> is
    /// imported only when one of them is enabled; <c>*</c> enables every profile.
    /// </summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Gets the fleet's MCP port range; <see langword="null"/> means <see cref="FleetDefaults.Ports"/>.</summary>
    public PortRange? Ports { get; init; }
}

/// <summary>The outcome of an import.</summary>
/// <param name="Spec">The fleet, or <see langword="null"/> when the input was unusable.</param>
/// <param name="Report">The migration report, or <see langword="null"/> with <paramref name="Spec"/>.</param>
/// <param name="Errors">Why the input was unusable; empty on success.</param>
public sealed record ComposeImportResult(FleetSpec? Spec, ImportReport? Report, IReadOnlyList<Diagnostic> Errors)
{
    /// <summary>Gets a value indicating whether a fleet was produced.</summary>
    public bool Success => Spec is not null;

    /// <summary>Gets a value indicating whether the report has rows a person must act on.</summary>
    public bool NeedsAttention => Report?.Attention.Any() == true;
}

/// <summary>Turns Docker Compose and Swarm stack files into a fleet spec and a migration report.</summary>
public static partial class ComposeImporter
{
    private static readonly HashSet<string> s_infrastructureImages =
    [
        "postgres", "postgresql", "postgis", "timescaledb", "mysql", "mariadb", "mongo", "mongodb", "redis", "redis-stack",
        "redis-stack-server", "valkey", "keydb", "memcached", "nginx", "httpd", "traefik", "haproxy", "caddy", "envoy",
        "rabbitmq", "kafka", "cp-kafka", "zookeeper", "cp-zookeeper", "nats", "elasticsearch", "opensearch", "kibana",
        "logstash", "minio", "grafana", "prometheus", "alertmanager", "node-exporter", "cadvisor", "jaeger", "all-in-one",
        "otel-collector", "opentelemetry-collector", "opentelemetry-collector-contrib", "loki", "promtail", "tempo",
        "vault", "consul", "etcd", "keycloak", "qdrant", "chroma", "weaviate", "milvus", "neo4j", "clickhouse-server",
        "adminer", "pgadmin4", "mailhog", "mailpit", "localstack", "portainer", "watchtower", "registry", "busybox",
        "pgbouncer", "pgpool", "pgpool2", "odyssey", "openresty", "varnish", "squid", "nginx-unprivileged", "mongo-express",
        "redis-commander", "redisinsight", "phpmyadmin", "flyway", "liquibase", "dbmate", "cockroach", "couchdb",
        "cassandra", "scylla", "influxdb", "telegraf", "pushgateway", "fluentd", "fluent-bit", "vector", "meilisearch",
        "typesense", "solr", "memgraph", "dragonfly", "garnet", "kong", "oauth2-proxy", "authelia", "authentik", "zitadel",
        "postgres-exporter", "redis-exporter",
    ];

    // Parts of an image name that give infrastructure away (nginx-cache, bitnami-pgbouncer); generic words are left out.
    private static readonly HashSet<string> s_infrastructureParts =
    [
        "postgres", "postgresql", "mysql", "mariadb", "mongo", "mongodb", "redis", "valkey", "memcached", "nginx", "httpd",
        "traefik", "haproxy", "caddy", "envoy", "rabbitmq", "kafka", "zookeeper", "elasticsearch", "opensearch", "minio",
        "grafana", "prometheus", "pgbouncer", "pgpool", "keycloak", "qdrant", "clickhouse", "neo4j", "etcd", "consul",
    ];

    /// <summary>Imports the Compose files of <paramref name="options"/>. Reads files; writes nothing.</summary>
    /// <param name="options">The files and settings.</param>
    /// <returns>The fleet and its report, or the errors that made the input unusable.</returns>
    public static ComposeImportResult Import(ComposeImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ImportPipeline.Run(options);
    }

    /// <summary>The comment lines under the import marker at the top of an imported <c>fleet.yaml</c>.</summary>
    /// <param name="report">The import's report.</param>
    /// <returns>The lines, each without <c>#</c>.</returns>
    public static IReadOnlyList<string> FleetHeader(ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [$"Sources: {string.Join(", ", report.Inputs)}. Review the migration report before deploying."];
    }

    /// <summary>
    /// Tells whether a service is well-known infrastructure (a database, cache, proxy...), not an MCP server: its image
    /// (or, for a build-only service, its name) is, or has a part that is, a known infrastructure name, and it does not
    /// say <c>mcp</c> (<c>nginx-mcp</c> is an MCP server for nginx).
    /// </summary>
    /// <param name="image">The image reference, or <see langword="null"/> for a build-only service.</param>
    /// <param name="service">The service name.</param>
    /// <returns><see langword="true"/> for infrastructure.</returns>
    internal static bool IsInfrastructure(ImageReference? image, string service)
    {
        var name = (image?.ShortName ?? service).ToLowerInvariant();
        return s_infrastructureImages.Contains(name)
            || (!name.Contains("mcp", StringComparison.Ordinal) && name.Split('-', '_', '.').Any(s_infrastructureParts.Contains));
    }

    /// <summary>Makes a DNS-1123 server name from a service name; <c>mcp-</c>/<c>-mcp</c> go, as the renderer adds <c>mcp-</c>.</summary>
    /// <param name="service">The Compose service name.</param>
    /// <returns>The server name.</returns>
    internal static string SanitizeName(string service)
    {
        var name = SpecText.SuggestDnsLabel(service);
        if (name.StartsWith("mcp-", StringComparison.Ordinal) && name.Length > 4)
        {
            name = name[4..];
        }

        if (name.EndsWith("-mcp", StringComparison.Ordinal) && name.Length > 4)
        {
            name = name[..^4];
        }

        if (name.Length > SpecText.MaxServerNameLength)
        {
            name = name[..SpecText.MaxServerNameLength].TrimEnd('-');
        }

        return name.Length == 0 ? "server" : name;
    }

    [GeneratedRegex(@"^[23](\.[0-9]+)*$")]
    internal static partial Regex KnownVersion();
}
