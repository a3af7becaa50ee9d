using System.Globalization;
using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Spec.Validation;

namespace McpFleet.Import;

/// <summary>One run of <see cref="ComposeImporter.Import"/>: read, merge, map, then settle ports, images and phases.</summary>
internal sealed partial class ImportRun(ComposeImportOptions options)
{
    private static readonly HashSet<string> s_topLevelKeys = ["version", "name", "services", "networks", "volumes", "secrets", "configs", "include"];

    private readonly DiagnosticBag _errors = new();
    private readonly List<ReportEntry> _topLevel = [];
    private readonly List<ServiceReport> _excluded = [];
    private readonly Dictionary<string, string> _notImported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fullPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _sourceLines = new(StringComparer.Ordinal);
    private readonly List<string> _inputs = [];
    private ImportContext _context = null!;
    private string? _envFileDisplay;

    private PortRange Range => options.Ports ?? ComposeImporter.DefaultPorts;

    public ComposeImportResult Run()
    {
        CheckOptions();
        if (_errors.HasErrors)
        {
            return Failed();
        }

        var variables = ReadVariables();
        var interpolator = new Interpolator(variables, _errors, deferRequired: true);
        _context = new ImportContext(interpolator, _errors, options.SecretPrefix ?? ComposeImporter.DefaultSecretPrefix, options.BaseDirectory, _fullPaths, _sourceLines);
        var files = ReadFiles(interpolator);
        if (_errors.HasErrors || files.Count == 0)
        {
            return Failed();
        }

        var merged = files.Aggregate(ComposeMerger.MergeFiles);
        var services = CheckServices(merged);
        if (services is null || _errors.HasErrors)
        {
            return Failed();
        }

        ReportTopLevel(merged, interpolator);
        _context.TopSecrets = merged.Get("secrets") as ComposeMap;
        _context.ServiceNames.UnionWith(services.Entries.Select(e => e.Key));
        var drafts = SelectServers(services);
        if (_errors.HasErrors)
        {
            return Failed();
        }

        foreach (var (draft, service) in drafts)
        {
            ServiceMapper.Map(_context, draft, service);
        }

        CheckRequiredVariables(merged, drafts);
        if (_errors.HasErrors)
        {
            return Failed();
        }

        var servers = drafts.Select(d => d.Draft).ToList();
        ResolveDependencies(servers);
        NoteMissingEgress(servers);
        AssignPorts(servers);
        if (_errors.HasErrors)
        {
            return Failed();
        }

        var image = SettleImages(servers);
        foreach (var server in servers)
        {
            CompleteResources(server);
            NoteSingleReplica(server);
        }

        return Build(merged, servers, image);
    }

    private ComposeImportResult Failed() => new(null, null, _errors.Sorted());

    /// <summary>Checks the option values that do not depend on the Compose files (MCI013).</summary>
    private void CheckOptions()
    {
        if (options.Namespace is { } ns && !SpecText.IsDnsLabel(ns))
        {
            var suggestion = SpecText.SuggestDnsLabel(ns);
            _errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--namespace"), $"'{ns}' is not a namespace: a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters){(suggestion.Length > 0 ? $", e.g. '{suggestion}'" : "")}");
        }

        if (options.Ports is { } ports && (ports.Min < 1 || ports.Max > 65535 || ports.Min > ports.Max))
        {
            _errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--ports"), $"{ports.Min}-{ports.Max} is not a port range: MIN-MAX with 1 <= MIN <= MAX <= 65535");
        }

        foreach (var profile in options.Profiles.Where(p => p != "*" && !ProfileName().IsMatch(p)))
        {
            _errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--profile"), $"'{profile}' is not a Compose profile name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
        }

        foreach (var service in options.Include.Intersect(options.Exclude, StringComparer.Ordinal))
        {
            _errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--exclude"), $"'{service}' is both included (--include) and excluded (--exclude)");
        }
    }

    private string Display(string fullPath) => ImportContext.DisplayPath(options.BaseDirectory, fullPath);

    private Dictionary<string, string> ReadVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string? path = null;
        if (options.EnvFile is not null)
        {
            path = Path.GetFullPath(options.EnvFile, options.BaseDirectory);
            if (!File.Exists(path))
            {
                _errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(Display(path)), Directory.Exists(path) ? "the env file (--env-file) is a directory, not a file" : "env file not found");
                return variables;
            }
        }
        else if (options.Files.Count > 0)
        {
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Files[0], options.BaseDirectory))!, ".env");
            if (Directory.Exists(beside))
            {
                _errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(Display(beside)), "the default env file .env is a directory, not a file; remove it or name one with --env-file");
                return variables;
            }

            path = File.Exists(beside) ? beside : null;
        }

        if (path is null)
        {
            return variables;
        }

        _envFileDisplay = Display(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable (chmod 000), or a file that fails on read (/proc/self/mem): a diagnostic, not a stack trace.
            _errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(_envFileDisplay), $"the env file cannot be read: {Reason(e)}");
            return variables;
        }

        foreach (var entry in EnvFileParser.Parse(text, _envFileDisplay, _errors))
        {
            variables[entry.Name] = entry.Value ?? "";
        }

        return variables;
    }

    private List<ComposeMap> ReadFiles(Interpolator interpolator)
    {
        var maps = new List<ComposeMap>();
        foreach (var file in options.Files)
        {
            var full = Path.GetFullPath(file, options.BaseDirectory);
            var display = Display(full);
            _fullPaths[display] = full;
            _inputs.Add(display);
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(display), e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read: " + Reason(e));
                continue;
            }

            _sourceLines[display] = text.ReplaceLineEndings("\n").Split('\n');
            var root = ComposeYamlReader.Read(text, display, interpolator, _errors);
            if (root is null)
            {
                maps.Add(new ComposeMap(new SourceLocation(display, 1, 1), []));
                continue;
            }

            if (root is not ComposeMap map)
            {
                _errors.Error(ImportCodes.WrongType, root.Location, "a Compose file is a mapping with `services`");
                continue;
            }

            if (map.Get("version") is { } version)
            {
                var text2 = (version as ComposeScalar)?.Value;
                if (text2 is null || !ComposeImporter.KnownVersion().IsMatch(text2))
                {
                    _errors.Error(ImportCodes.UnknownVersion, version.Location, $"unknown Compose file version '{text2}': supported are 2.x and 3.x, or no `version` at all (the Compose specification)");
                }
            }

            if (map.Get("services") is { } services and not ComposeMap)
            {
                _errors.Error(ImportCodes.WrongType, services.Location, "`services` must be a mapping of service names to services");
            }

            maps.Add(map);
        }

        return maps;
    }

    private ComposeMap? CheckServices(ComposeMap merged)
    {
        if (merged.Get("services") is not ComposeMap { Entries.Count: > 0 } services)
        {
            _errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(_inputs[0]), "no services to import");
            return null;
        }

        foreach (var (name, node) in services.Entries)
        {
            var at = services.KeyLocation(name);
            if (node is not ComposeMap service)
            {
                _errors.Error(ImportCodes.WrongType, at, $"service '{name}' must be a mapping");
                continue;
            }

            if (service.Get("image") is not ComposeScalar { Value.Length: > 0 } && service.Get("build") is null or ComposeScalar { Value: null })
            {
                _errors.Error(ImportCodes.NoImage, at, $"service '{name}' has neither `image` nor `build`, so there is nothing to run");
            }

            foreach (var (dependency, value) in service.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries : [])
            {
                if (services.Get(dependency) is null)
                {
                    _errors.Error(ImportCodes.Dependency, value.Location, $"service '{name}' depends on undefined service '{dependency}'");
                }
            }
        }

        FindCycles(services);
        var names = services.Entries.Select(e => e.Key).ToList();
        foreach (var (option, service) in options.Include.Select(i => ("--include", i)).Concat(options.Exclude.Select(e => ("--exclude", e))))
        {
            if (services.Get(service) is null)
            {
                _errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(_inputs[0]), $"{option} names no service: '{service}'{DidYouMean(service, names)}");
            }
        }

        var profiles = services.Entries.SelectMany(e => Profiles(e.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var profile in options.Profiles.Where(p => p != "*" && !profiles.Contains(p)))
        {
            _errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--profile"), $"no service has the profile '{profile}'{DidYouMean(profile, profiles)}");
        }

        return services;
    }

    /// <summary>Why a file could not be read, without the path the message may repeat (the location names it).</summary>
    internal static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "not found",
        _ => e.Message.Split(" : ", 2)[0].TrimEnd('.'),
    };

    private static string DidYouMean(string value, IEnumerable<string> candidates) =>
        SpecText.Closest(value, candidates) is { } closest ? $"; did you mean '{closest}'?" : "";

    /// <summary>The <c>profiles</c> of a service (a list, or one string).</summary>
    private static IEnumerable<string> Profiles(ComposeNode service) => (service as ComposeMap)?.Get("profiles") switch
    {
        ComposeSequence list => list.Items.OfType<ComposeScalar>().Select(i => i.Text),
        ComposeScalar one when one.Text.Length > 0 => [one.Text],
        _ => [],
    };

    private void FindCycles(ComposeMap services)
    {
        var edges = services.Entries.ToDictionary(
            e => e.Key,
            e => (e.Value as ComposeMap)?.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries.Select(x => x.Key).Where(k => services.Get(k) is not null).ToList() : [],
            StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var service in edges.Keys)
        {
            Visit(service);
        }

        void Visit(string service)
        {
            if (done.Contains(service))
            {
                return;
            }

            var index = path.IndexOf(service);
            if (index >= 0)
            {
                var cycle = string.Join(" → ", path.Skip(index).Append(service));
                _errors.Error(ImportCodes.Dependency, services.KeyLocation(service), $"depends_on forms a cycle: {cycle}");
                return;
            }

            path.Add(service);
            foreach (var next in edges[service])
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(service);
        }
    }

    private void ReportTopLevel(ComposeMap merged, Interpolator interpolator)
    {
        foreach (var (key, node) in merged.Entries)
        {
            var at = merged.KeyLocation(key);
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                _topLevel.Add(new ReportEntry(key, FieldOutcome.Ignored, "extension field (its anchors were applied where they are used)", at));
                continue;
            }

            switch (key)
            {
                case "version":
                    _topLevel.Add(new ReportEntry(key, FieldOutcome.Dropped, "obsolete in the Compose specification; the fields are read the same way", at));
                    break;
                case "name":
                    _topLevel.Add(new ReportEntry(key, FieldOutcome.Changed, "becomes the fleet `name` (app.kubernetes.io/part-of)", at));
                    break;
                case "services":
                    break;
                case "networks":
                    _topLevel.Add(new ReportEntry(key, FieldOutcome.Dropped, "Kubernetes has one pod network; a NetworkPolicy per server admits MCP peers, the callers and its dependencies, and DNS", at));
                    break;
                case "volumes":
                    foreach (var (volume, value) in (node as ComposeMap)?.Entries ?? [])
                    {
                        _topLevel.Add(new ReportEntry($"volumes.{volume}", FieldOutcome.Dropped, "named volumes are not supported for MCP servers (stateless Deployments); see the services that mount it", value.Location));
                    }

                    break;
                case "secrets":
                    foreach (var (secret, value) in (node as ComposeMap)?.Entries ?? [])
                    {
                        var external = (value as ComposeMap)?.Text("external") is "true" or "True";
                        _topLevel.Add(new ReportEntry($"secrets.{secret}", FieldOutcome.Changed, external ? "external secret: each service that uses it gets an ExternalSecret entry" : "each service that uses it gets an ExternalSecret entry; the file is not read, so put its content in the secret store", value.Location));
                    }

                    break;
                case "configs":
                    _topLevel.Add(new ReportEntry(key, FieldOutcome.Dropped, $"config files are not mounted; a server gets {RuntimeContract.ConfigPath} from its ConfigMap (see the services that use them)", at));
                    break;
                default:
                    _topLevel.Add(new ReportEntry(key, FieldOutcome.Dropped, s_topLevelKeys.Contains(key) ? "not supported by the importer; merge the included files by passing them in order" : "not a Compose top-level field", at, true));
                    break;
            }
        }

        foreach (var group in interpolator.Unset.GroupBy(u => u.Name).Where(g => Credentials.CredentialClassifier.NameWord(g.Key) is null))
        {
            var first = group.First();
            _topLevel.Add(new ReportEntry($"${{{group.Key}}}", FieldOutcome.Changed, $"not set in the env file and no default: replaced by an empty string, as Compose does ({group.Count()} use{(group.Count() == 1 ? "" : "s")})", first.Location, true));
        }
    }

    private List<(ServerDraft Draft, ComposeMap Service)> SelectServers(ComposeMap services)
    {
        var drafts = new List<(ServerDraft, ComposeMap)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var oneShot = OneShotJobs(services);
        foreach (var (serviceName, node) in services.Entries)
        {
            var service = (ComposeMap)node;
            var at = services.KeyLocation(serviceName);
            var image = service.Text("image") is { Length: > 0 } text ? ImageReference.Parse(text) : null;
            var included = options.Include.Contains(serviceName);
            if (LeftOut(serviceName, service, image, included, oneShot) is { } leftOut)
            {
                _notImported[serviceName] = leftOut.Why;
                _excluded.Add(new ServiceReport(
                    serviceName,
                    null,
                    leftOut.Summary,
                    at,
                    [
                        .. leftOut.Attention ? [new ReportEntry("(service)", FieldOutcome.Dropped, leftOut.Why, at, true)] : Array.Empty<ReportEntry>(),
                        .. leftOut.ListFields ? service.Entries.Select(e => new ReportEntry(e.Key, FieldOutcome.Dropped, "the service is not imported", service.KeyLocation(e.Key))) : [],
                    ]));
                continue;
            }

            var name = ComposeImporter.SanitizeName(serviceName);
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{ComposeImporter.SanitizeName(serviceName)}-{n}";
            }

            var draft = new ServerDraft(serviceName, name, at) { Included = included };
            if (name != serviceName)
            {
                draft.Report("name", FieldOutcome.Changed, $"`{serviceName}` → `{name}`: a DNS-1123 label; objects are named mcp-{name}", at);
            }

            drafts.Add((draft, service));
        }

        if (drafts.Count == 0)
        {
            _errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(_inputs[0]), "no service is left to import (every service is infrastructure, a one-shot job, excluded, or behind a profile that is not enabled); pass --include, --profile or fewer --exclude");
        }

        return drafts;
    }

    /// <summary>Why a service is not imported, or <see langword="null"/> when it is.</summary>
    private (string Summary, string Why, bool ListFields, bool Attention)? LeftOut(string serviceName, ComposeMap service, ImageReference? image, bool included, HashSet<string> oneShot)
    {
        if (options.Exclude.Contains(serviceName))
        {
            return ("Left out with `--exclude`", "left out with --exclude", false, false);
        }

        var profiles = Profiles(service).ToList();
        if (profiles.Count > 0 && !included && !options.Profiles.Contains("*") && !profiles.Exists(options.Profiles.Contains))
        {
            var list = string.Join(", ", profiles.Select(p => $"`{p}`"));
            return ($"Not enabled: its profiles ({list}) are not active, as in `docker compose up`; pass `--profile {profiles[0]}` to import it", $"behind the profile {profiles[0]}, which is not enabled (--profile)", false, false);
        }

        if (included)
        {
            return null;
        }

        if (ComposeImporter.IsInfrastructure(image, serviceName))
        {
            var what = image is null ? $"service `{serviceName}`" : $"`{image.ShortName}` image";
            return ($"Not an MCP server ({what}): left out. Run it as a managed service or with its own chart, or pass `--include {serviceName}` to import it as a server", "not an MCP server", true, false);
        }

        if (oneShot.Contains(serviceName))
        {
            return ($"A one-shot job, not an MCP server: left out. Run it as a Kubernetes Job (or an init container of the servers that need it) before the servers start, or pass `--include {serviceName}`", "a one-shot job: run it as a Kubernetes Job before the servers start", true, true);
        }

        return null;
    }

    /// <summary>
    /// The services that run once and exit: another service waits for them with
    /// <c>service_completed_successfully</c>, or they do not restart and their name, image or command says migration,
    /// seed or setup.
    /// </summary>
    private static HashSet<string> OneShotJobs(ComposeMap services)
    {
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, node) in services.Entries)
        {
            foreach (var (dependency, value) in (node as ComposeMap)?.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries : [])
            {
                if ((value as ComposeMap)?.Text("condition") == "service_completed_successfully")
                {
                    jobs.Add(dependency);
                }
            }
        }

        foreach (var (name, node) in services.Entries)
        {
            if (node is not ComposeMap service)
            {
                continue;
            }

            var restart = service.Text("restart") ?? ((service.Get("deploy") as ComposeMap)?.Get("restart_policy") as ComposeMap)?.Text("condition");
            var words = string.Join(' ', name, service.Text("image") ?? "", ComposeNode.Scalars(service.Get("command") ?? ComposeScalar.Of(service.Location, null)).Select(c => c.Text).FirstOrDefault() ?? "");
            if (restart is "no" or "none" or "on-failure" && OneShotWord().IsMatch(words))
            {
                jobs.Add(name);
            }
        }

        return jobs;
    }

    /// <summary>
    /// Reports each <c>${VAR:?}</c> without a value (MCI006), except where it feeds only a secret of the server that
    /// uses it: the value goes to the secret store, so the import does not need it (a ⚠ row says so). Services that
    /// are not imported are not checked.
    /// </summary>
    private void CheckRequiredVariables(ComposeMap merged, List<(ServerDraft Draft, ComposeMap Service)> drafts)
    {
        var reported = new HashSet<MissingRequired>();
        foreach (var (key, node) in merged.Entries.Where(e => e.Key != "services" && !e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            foreach (var missing in ComposeNode.Scalars(node).SelectMany(s => s.Missing).Where(reported.Add))
            {
                _errors.Add(missing.Error);
            }
        }

        foreach (var (draft, service) in drafts)
        {
            var warned = new HashSet<MissingRequired>();
            foreach (var (key, node) in service.Entries.Where(e => !e.Key.StartsWith("x-", StringComparison.Ordinal)))
            {
                foreach (var missing in ComposeNode.Scalars(node).SelectMany(s => s.Missing))
                {
                    if (draft.SecretOnlyRequired.Contains(missing))
                    {
                        if (warned.Add(missing))
                        {
                            draft.Report($"${{{missing.Name}}}", FieldOutcome.Changed, "required (`:?`) but not set in the env file; it feeds only a secret, whose value goes to the secret store, so the import goes on: put the value there", missing.Location, true);
                        }
                    }
                    else if (reported.Add(missing))
                    {
                        _errors.Add(missing.Error);
                    }
                }
            }
        }
    }

    private void ResolveDependencies(List<ServerDraft> servers)
    {
        var byService = servers.ToDictionary(s => s.Service, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            foreach (var (service, condition, location) in server.DependsOn)
            {
                var field = $"depends_on.{service}";
                if (!byService.TryGetValue(service, out var target))
                {
                    var why = _notImported.GetValueOrDefault(service, "not an MCP server");
                    server.Report(field, FieldOutcome.Dropped, $"`{service}` is not imported ({why}): provide it outside the fleet, and check it in the server's {RuntimeContract.ReadyPath}", location, true);
                    continue;
                }

                server.Dependencies.Add(target.Name);
                var how = condition switch
                {
                    "service_healthy" => $"; `service_healthy` holds: a phase starts after the earlier phases are Available (readiness on {RuntimeContract.ReadyPath})",
                    "service_completed_successfully" => "; `service_completed_successfully` (a one-shot job) has no equivalent between servers: check it",
                    _ => "",
                };
                server.Report(field, FieldOutcome.Mapped, $"dependsOn `{target.Name}` ({RuntimeContract.DependencyUrlVariable(target.Name)} and an egress rule){how}", location, condition == "service_completed_successfully");
            }
        }

        // Phases are dependency levels: phase 1 has no dependencies, phase n depends on phase n-1 at most.
        var byName = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            Level(server);
        }

        int Level(ServerDraft server)
        {
            if (server.Phase > 0)
            {
                return server.Phase;
            }

            if (!visiting.Add(server.Name))
            {
                _errors.Error(ImportCodes.Dependency, server.Location, $"depends_on forms a cycle through '{server.Service}'");
                return 1;
            }

            server.Phase = 1 + server.Dependencies.Select(d => Level(byName[d])).DefaultIfEmpty(0).Max();
            visiting.Remove(server.Name);
            return server.Phase;
        }
    }

    /// <summary>
    /// Says so when a server declares no outside host: on Compose it could reach anything, in the fleet its
    /// NetworkPolicy lets it reach only DNS and its dependencies, so every call out would time out.
    /// </summary>
    private static void NoteMissingEgress(List<ServerDraft> servers)
    {
        foreach (var server in servers.Where(s => s.Egress.Count == 0))
        {
            var dependencies = server.Dependencies.Count == 0 ? "it has none" : string.Join(", ", server.Dependencies);
            server.Report("(egress)", FieldOutcome.Changed, $"no outbound host found: this server can reach only DNS and its dependencies ({dependencies}); if it calls an API, add `egress: [{{host, ports}}]` to its values file", server.Location, true);
        }
    }

    private void AssignPorts(List<ServerDraft> servers)
    {
        var range = Range;
        var used = new HashSet<int> { RuntimeContract.DefaultMetricsPort };
        foreach (var server in servers)
        {
            if (server.ContainerPort is { } cp && range.Contains(cp.Port) && used.Add(cp.Port))
            {
                server.Port = cp.Port;
                server.Report(cp.Field, FieldOutcome.Mapped, $"MCP port {cp.Port}{Chosen(server)}", cp.Location);
            }
        }

        foreach (var server in servers.Where(s => s.Port == 0))
        {
            var port = Enumerable.Range(range.Min, range.Max - range.Min + 1).FirstOrDefault(p => !used.Contains(p));
            if (port == 0)
            {
                var free = range.Max - range.Min + 1 - (range.Contains(RuntimeContract.DefaultMetricsPort) ? 1 : 0);
                _errors.Error(ImportCodes.PortRangeFull, server.Location, $"{servers.Count} MCP servers but only {free} ports in {range.Min}-{range.Max}: widen the range with --ports MIN-MAX, leave services out with --exclude SERVICE, or enable fewer profiles (--profile)");
                return;
            }

            used.Add(port);
            server.Port = port;
            var listen = $"the server must listen on {RuntimeContract.EnvironmentVariables.ServerPort} ({port})";
            if (server.ContainerPort is { } cp)
            {
                var why = cp.Port == RuntimeContract.DefaultMetricsPort ? "the metrics port of every pod"
                    : range.Contains(cp.Port) ? "taken by another server"
                    : $"outside the fleet range {range.Min}-{range.Max}";
                server.Report(cp.Field, FieldOutcome.Changed, $"container port {cp.Port}{Chosen(server)} is {why}: remapped to MCP port {port}; {listen}", cp.Location, true);
                RewritePortEnv(server, cp.Port);
                RewritePortWords(server, cp.Port);
            }
            else
            {
                server.Report("ports", FieldOutcome.Changed, $"no `ports` or `expose`: assigned MCP port {port}; {listen}", server.Location, true);
            }
        }
    }

    private static string Chosen(ServerDraft server) => server.McpPortChoice is { } why ? $" (the MCP port: {why})" : "";

    /// <summary>
    /// Rewrites the old container port in the command line (<c>--port 8383</c>, <c>--sse-port=8383</c>,
    /// <c>0.0.0.0:8383</c>), so the server listens where it is probed; any other mention is a ⚠ row.
    /// </summary>
    private static void RewritePortWords(ServerDraft server, int oldPort)
    {
        server.Command = Rewrite(server.Command, "entrypoint");
        server.Args = Rewrite(server.Args, "command");

        IReadOnlyList<string>? Rewrite(IReadOnlyList<string>? words, string key)
        {
            if (words is null)
            {
                return null;
            }

            var result = words.ToList();
            for (var i = 0; i < result.Count; i++)
            {
                var (word, rewritten, doubtful) = PortWords.Rewrite(i > 0 ? words[i - 1] : "", words[i], oldPort, server.Port);
                result[i] = word;
                if (rewritten)
                {
                    server.Report($"{key}[{i}]", FieldOutcome.Changed, $"named the old container port {oldPort}: now the MCP port {server.Port}", server.Location);
                }

                if (doubtful)
                {
                    server.Report($"{key}[{i}]", FieldOutcome.Changed, $"holds the number {oldPort}, the old container port, where it may not be a port: left as it is; check that the server listens on {RuntimeContract.EnvironmentVariables.ServerPort} ({server.Port})", server.Location, true);
                }
            }

            return result;
        }
    }

    private static void RewritePortEnv(ServerDraft server, int oldPort)
    {
        var old = oldPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in server.Env.ToList())
        {
            if ((key == "PORT" || key.EndsWith("_PORT", StringComparison.Ordinal)) && value == old)
            {
                server.SetEnv(key, server.Port.ToString(CultureInfo.InvariantCulture));
                server.Report($"environment.{key}", FieldOutcome.Changed, $"was the container port {old}: set to the MCP port {server.Port}", server.Location);
            }
        }
    }

    /// <summary>Chooses the fleet image pattern that fits most servers; the others keep an explicit image.</summary>
    private static string? SettleImages(List<ServerDraft> servers)
    {
        var candidates = new List<(string Prefix, string TagPrefix)>();
        foreach (var server in servers)
        {
            if (server.Image is null)
            {
                continue;
            }

            var version = server.Image.Digest is null ? server.Image.Version() : null;
            server.Version = version?.Version ?? "0.0.0";
            if (Pattern(server) is { } p)
            {
                candidates.Add(p);
            }
        }

        var chosen = candidates.GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => ((string, string)?)g.Key).FirstOrDefault();
        foreach (var server in servers)
        {
            var at = server.ImageLocation ?? server.Location;
            if (server.Image is null)
            {
                var pattern = chosen is { } c ? $"{c.Item1}{server.Name}:{c.Item2}{server.Version}" : $"scoobyjava15/mcp-{server.Name}:v{server.Version}";
                server.Report("image", FieldOutcome.Changed, $"placeholder: version {server.Version} and the fleet image pattern, so `{pattern}`; push that image, or set `image`", server.BuildOnly ?? at, true);
                continue;
            }

            var image = server.Image;
            var registry = image.Registry ?? "Docker Hub";
            var parsed = image.Version();
            if (Pattern(server) is { } mine && mine == chosen)
            {
                server.Report("image.tag", FieldOutcome.Changed, $"registry {registry}, name `{image.Repository}`, version {server.Version}{(parsed?.Completed == true ? $" (tag `{image.Tag}` completed to MAJOR.MINOR.PATCH)" : "")}: the fleet image pattern produces it", at);
                continue;
            }

            server.ExplicitImage = image.ToString();
            if (parsed is null || image.Digest is not null)
            {
                var why = image.Digest is not null ? "pinned by digest" : image.Tag is null ? "has no tag (means `latest`)" : $"tag `{image.Tag}` is not a version";
                server.Report("image.tag", FieldOutcome.Changed, $"{why}: version 0.0.0 and an explicit `image`{(image.Digest is null ? "; pin a versioned tag" : "")}", at, image.Digest is null);
            }
            else
            {
                server.Report("image.tag", FieldOutcome.Changed, $"registry {registry}, version {server.Version}: explicit `image`, as it does not follow the fleet pattern", at);
            }
        }

        return chosen is { } ch ? $"{ch.Item1}{{name}}:{ch.Item2}{{version}}" : null;
    }

    private static (string Prefix, string TagPrefix)? Pattern(ServerDraft server)
    {
        var image = server.Image!;
        if (image.Digest is not null || image.Tag is null || !image.Repository.EndsWith(server.Name, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = image.Repository[..^server.Name.Length];
        if (prefix.Length > 0 && prefix[^1] is not ('/' or '-' or '_'))
        {
            return null;
        }

        return image.Tag == server.Version ? (prefix, "") : image.Tag == "v" + server.Version ? (prefix, "v") : null;
    }

    /// <summary>Says so when a server ends up with one replica, which the linter reports as MCP022.</summary>
    private static void NoteSingleReplica(ServerDraft server)
    {
        var why = server.Replicas == 1 ? "Compose asks for 1" : server.Replicas is null && server.Gpu is not null ? "the default for a GPU server" : null;
        if (why is not null)
        {
            server.Report("replicas", FieldOutcome.Mapped, $"1 replica ({why}): every rollout or node drain takes the server down for a moment (lint MCP022, info); raise `replicas` if it must stay up", server.Location);
        }
    }

    /// <summary>Fills the half of requests/limits Compose left out, so the resolved pair is always consistent.</summary>
    private static void CompleteResources(ServerDraft server)
    {
        var requests = server.Requests;
        var limits = server.Limits;
        if (requests is null && limits is null)
        {
            return;
        }

        var cpuRequest = requests?.Cpu ?? limits?.Cpu;
        var memoryRequest = requests?.Memory ?? limits?.Memory;
        var cpuLimit = limits?.Cpu ?? requests?.Cpu;
        var memoryLimit = limits?.Memory ?? requests?.Memory;
        if ((requests?.Cpu is null && limits?.Cpu is not null) || (requests?.Memory is null && limits?.Memory is not null))
        {
            server.Report("resources.requests", FieldOutcome.Changed, "no reservations for some resources: requests set to the limits (as Kubernetes does)", server.Location);
        }

        if ((limits?.Cpu is null && requests?.Cpu is not null) || (limits?.Memory is null && requests?.Memory is not null))
        {
            server.Report("resources.limits", FieldOutcome.Changed, "no limits for some resources: limits set to the reservations; raise them if the server bursts", server.Location, true);
        }

        server.Requests = new ResourceQuantities(cpuRequest, memoryRequest);
        server.Limits = new ResourceQuantities(cpuLimit, memoryLimit);
    }

    private ComposeImportResult Build(ComposeMap merged, List<ServerDraft> drafts, string? image)
    {
        string? environment = null;
        var environments = _context.Environments.Select(e => e.Value).Distinct().ToList();
        if (environments.Count == 1)
        {
            environment = environments[0];
        }
        else if (environments.Count > 1)
        {
            _topLevel.Add(new ReportEntry("ENVIRONMENT", FieldOutcome.Changed, "services set different values; the fleet has one `environment`, left at its default", _context.Environments[0].Location, true));
        }

        var fleetEnv = HoistCommonEnv(drafts);
        var phaseCount = drafts.Max(d => d.Phase);
        var phaseNames = Enumerable.Range(1, phaseCount).Select(n => n == 1 ? "core" : $"tier-{n}").ToList();
        var phases = phaseNames
            .Select((name, i) => new PhaseSpec(name, [.. drafts.Where(d => d.Phase == i + 1).Select(d => d.Name).Order(StringComparer.Ordinal)]))
            .ToList();
        var servers = drafts.OrderBy(d => d.Name, StringComparer.Ordinal).Select(ToServerSpec).ToList();
        var callers = options.Callers.Count > 0 ? options.Callers : ComposeImporter.DefaultCallers;
        _topLevel.Add(new ReportEntry(
            "(callers)",
            FieldOutcome.Changed,
            $"Compose has no caller list: `callers` is {string.Join(", ", callers.Select(c => $"{c.Key}={c.Value}"))}{(options.Callers.Count > 0 ? " (--caller)" : " (the default; change it with --caller)")}; only pods with these labels and other MCP servers may call the servers",
            SourceLocation.OfFile(_inputs[0])));
        var fleetName = merged.Text("name") is { Length: > 0 } n ? ComposeImporter.SanitizeName(n) : null;
        var spec = new FleetSpec
        {
            Name = fleetName,
            Namespace = options.Namespace ?? ComposeImporter.DefaultNamespace,
            Image = image,
            Environment = environment,
            Env = fleetEnv,
            SecretStore = new SecretStoreSpec("pulumi-esc", "SecretStore"),
            Ports = Range,
            Callers = callers,
            Phases = phases,
            Servers = servers,
        };

        var serviceReports = drafts
            .Select(d => new ServiceReport(
                d.Service,
                d.Name,
                $"{(d.Included ? "included with --include: " : "")}MCP server `{d.Name}`, port {d.Port}, phase {d.Phase} ({phaseNames[d.Phase - 1]})",
                d.Location,
                d.Entries))
            .Concat(_excluded)
            .OrderBy(r => r.Location.File, StringComparer.Ordinal)
            .ThenBy(r => r.Location.Line)
            .ToList();
        var report = new ImportReport(
            _inputs,
            _envFileDisplay,
            _topLevel,
            serviceReports,
            [.. drafts.SelectMany(d => d.Secrets)],
            [.. phases.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Name, p.Servers))]);
        return new ComposeImportResult(spec, report, []);
    }

    /// <summary>
    /// Moves env vars that every server sets to the same value (typically from an <c>x-</c> anchor) to the fleet's
    /// <c>env</c>, so they are written once.
    /// </summary>
    private static SortedDictionary<string, string> HoistCommonEnv(List<ServerDraft> drafts)
    {
        var common = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (drafts.Count < 2)
        {
            return common;
        }

        foreach (var (key, value) in drafts[0].Env)
        {
            if (drafts.TrueForAll(d => d.Env.Exists(e => e.Key == key && e.Value == value) && !d.Secrets.Exists(s => s.Variable == key)))
            {
                common[key] = value;
            }
        }

        foreach (var draft in drafts)
        {
            draft.Env.RemoveAll(e => common.ContainsKey(e.Key));
            foreach (var key in common.Keys)
            {
                var at = draft.Entries.FindIndex(e => e.Field.EndsWith("." + key, StringComparison.Ordinal) && e.Detail == "env");
                if (at >= 0)
                {
                    draft.Entries[at] = draft.Entries[at] with { Detail = "fleet `env`: every server sets the same value" };
                }
            }
        }

        return common;
    }

    private static ServerSpec ToServerSpec(ServerDraft d) => new()
    {
        Name = d.Name,
        Port = d.Port,
        Version = d.Version,
        Replicas = d.Replicas,
        Resources = d.Requests is null && d.Limits is null ? null : new ResourcesSpec(d.Requests, d.Limits),
        Tools = 0,
        Description = d.Description ?? $"Imported from Compose service {d.Service}",
        Secrets = [.. d.Secrets.Select(s => new SecretSpec(s.Variable, s.RemoteRef))],
        Gpu = d.Gpu,
        Env = new SortedDictionary<string, string>(
            d.Env.Where(e => !d.Secrets.Exists(s => s.Variable == e.Key)).ToDictionary(e => e.Key, e => e.Value),
            StringComparer.Ordinal),
        DependsOn = d.Dependencies,
        Egress = d.Egress,
        Image = d.ExplicitImage,
        Probes = d.Probes,
        Command = d.Command,
        Args = d.Args,
        Labels = new SortedDictionary<string, string>(d.Labels, StringComparer.Ordinal),
    };

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ProfileName();

    [GeneratedRegex(@"(?i)\b(?:db-?)?(?:migrat\w*|seed\w*|setup|bootstrap|init-?db|flyway|liquibase|dbmate)\b")]
    private static partial Regex OneShotWord();
}
