using System.Globalization;
using System.Text.RegularExpressions;
using McpFleet.Credentials;
using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Spec.Validation;

namespace McpFleet.Import;

/// <summary>Maps the fields of one Compose service onto a <see cref="ServerDraft"/>, reporting each field.</summary>
internal sealed partial class ServiceMapper
{
    private const string DefaultGpuType = "GH200";

    private static readonly HashSet<string> s_reservedEnv =
    [
        RuntimeContract.EnvironmentVariables.ServerPort,
        RuntimeContract.EnvironmentVariables.MetricsPort,
        RuntimeContract.EnvironmentVariables.Namespace,
        RuntimeContract.EnvironmentVariables.SessionMode,
        RuntimeContract.EnvironmentVariables.ConfigPath,
    ];

    private readonly ImportContext _context;
    private readonly ServerDraft _draft;
    private int? _gpuCount;
    private string? _gpuType;
    private string? _runtimeClass;
    private SourceLocation? _gpuLocation;
    private bool _envDone;
    private int _position;

    // Every env value of the service by name, so a host variable can find its *_PORT and the MCP port its *MCP*PORT*.
    private readonly Dictionary<string, string?> _envValues = new(StringComparer.Ordinal);
    private readonly List<PortCandidate> _ports = [];
    private (string Path, int? Port, SourceLocation Location, int Row)? _healthcheck;
    private readonly List<(int Row, int Order, ReportEntry Entry)> _deferred = [];

    // What to do once every field is read, by the position of the field that needs it, so deferred rows keep field order.
    private readonly SortedList<int, Action> _finishes = [];

    private ServiceMapper(ImportContext context, ServerDraft draft)
    {
        _context = context;
        _draft = draft;
    }

    /// <summary>Maps <paramref name="service"/> onto <paramref name="draft"/>.</summary>
    /// <param name="context">What the whole import shares.</param>
    /// <param name="draft">The server being built.</param>
    /// <param name="service">The merged service mapping.</param>
    public static void Map(ImportContext context, ServerDraft draft, ComposeMap service) =>
        new ServiceMapper(context, draft).MapService(service);

    private void MapService(ComposeMap service)
    {
        foreach (var (key, node) in service.Entries)
        {
            _position++;
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                _draft.Report(key, FieldOutcome.Ignored, "extension field", node.Location);
                continue;
            }

            switch (key)
            {
                case "image":
                    MapImage(node);
                    break;
                case "build":
                    MapBuild(node, service);
                    break;
                case "ports":
                case "expose":
                    MapPorts(key, node);
                    break;
                case "environment":
                case "env_file":
                    MapEnvironment(service);
                    break;
                case "secrets":
                    MapSecrets(node);
                    break;
                case "deploy":
                    MapDeploy(node);
                    break;
                case "depends_on":
                    MapDependsOn(node);
                    break;
                case "healthcheck":
                    MapHealthcheck(node);
                    break;
                case "command":
                    _draft.Args = MapCommand(key, node, "args");
                    break;
                case "entrypoint":
                    _draft.Command = MapCommand(key, node, "command");
                    break;
                case "labels":
                    MapLabels(key, node);
                    break;
                case "volumes":
                    MapVolumes(node);
                    break;
                case "tmpfs":
                    MapTmpfs(node);
                    break;
                case "mem_limit":
                case "mem_reservation":
                case "cpus":
                    MapLegacyResource(key, node);
                    break;
                case "scale":
                    MapReplicas(key, node);
                    break;
                case "runtime":
                    MapRuntime(node);
                    break;
                default:
                    var (outcome, detail, attention) = ComposeFieldNotes.ForServiceKey(key, node);
                    _draft.Report(key, outcome, detail, node.Location, attention);
                    break;
            }
        }

        foreach (var finish in _finishes.OrderBy(f => f.Key))
        {
            finish.Value();
        }

        InsertDeferredRows();
        FinishGpu();
    }

    /// <summary>
    /// Carries an HTTP healthcheck over to the probes: the contract's paths when it GETs them, else its path as
    /// <c>probes.healthPath</c> and <c>probes.readyPath</c> (third-party servers serve <c>/healthz</c> and the like).
    /// </summary>
    private void FinishHealthcheck()
    {
        if (_healthcheck is not var (path, port, location, row))
        {
            return;
        }

        var mcpPort = _ports.Count > 0 ? ChooseMcpPort().Port.Port : (int?)null;
        var otherPort = port is { } p && mcpPort is { } mcp && p != mcp
            ? $"; it checks port {p}, the probes check the MCP port: make the server answer there"
            : "";
        if (path == RuntimeContract.HealthPath)
        {
            Defer(row, new ReportEntry("healthcheck", FieldOutcome.Changed, $"GET {path}: the contract's probes (startup and liveness GET {RuntimeContract.HealthPath}, readiness GET {RuntimeContract.ReadyPath} on the MCP port), which the server must serve{otherPort}", location, otherPort.Length > 0));
            return;
        }

        _draft.Probes = (_draft.Probes ?? new ProbeOverrides()) with { HealthPath = path, ReadyPath = path };
        Defer(row, new ReportEntry("healthcheck", FieldOutcome.Changed, $"GET {path}: probes.healthPath and probes.readyPath (startup, liveness and readiness GET {path} on the MCP port instead of {RuntimeContract.HealthPath} and {RuntimeContract.ReadyPath}){otherPort}", location, otherPort.Length > 0));
    }

    private void MapImage(ComposeNode node)
    {
        if (node is not ComposeScalar { Value: { Length: > 0 } image })
        {
            _draft.Report("image", FieldOutcome.Dropped, "not a string", node.Location, true);
            return;
        }

        _draft.Image = ImageReference.Parse(image);
        _draft.ImageLocation = node.Location;
        _draft.Report("image", FieldOutcome.Mapped, $"`{image}`", node.Location);
    }

    private void MapBuild(ComposeNode node, ComposeMap service)
    {
        if (service.Get("image") is not null)
        {
            _draft.Report("build", FieldOutcome.Dropped, "the service also names an image, which the fleet uses; build and push it in CI", node.Location);
            return;
        }

        _draft.BuildOnly = node.Location;
        var context = node is ComposeMap m ? m.Text("context") ?? "." : (node as ComposeScalar)?.Text ?? ".";
        var dockerfile = node is ComposeMap d ? d.Text("dockerfile") : null;
        _draft.Report(
            "build",
            FieldOutcome.Changed,
            $"build-only service (context {_context.Quote(node, context)}{(dockerfile is null ? "" : $", dockerfile {_context.Quote(node, dockerfile)}")}): a placeholder image from the fleet pattern is used; build and push it before deploying",
            node.Location,
            attention: true);
    }

    private void MapPorts(string key, ComposeNode node)
    {
        if (node is not ComposeSequence list)
        {
            _draft.Report(key, FieldOutcome.Dropped, "not a list", node.Location, true);
            return;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var field = $"{key}[{i}]";
            if (!TryParsePort(item, out var containerPort, out var published, out var protocol, out var problem))
            {
                _draft.Report(field, FieldOutcome.Dropped, problem, item.Location, true);
                continue;
            }

            if (protocol != "tcp")
            {
                _draft.Report(field, FieldOutcome.Dropped, $"{protocol.ToUpperInvariant()} port {containerPort}: MCP runs over TCP (Streamable HTTP)", item.Location, true);
                continue;
            }

            // The MCP port is chosen once every field is read (env and command can name it); rows go here then.
            _ports.Add(new PortCandidate(containerPort, published, item.Location, field, _draft.Entries.Count));
            if (_ports.Count == 1)
            {
                _finishes.Add(_position, FinishPorts);
            }
        }
    }

    /// <summary>
    /// Chooses the MCP port among the container ports by what the service serves: the port an <c>*MCP*PORT*</c> env
    /// var names, else the one whose comment says MCP, else one the command names, else the first; then reports each
    /// port where it was written.
    /// </summary>
    private void FinishPorts()
    {
        if (_ports.Count == 0)
        {
            return;
        }

        var (chosen, why) = ChooseMcpPort();
        _draft.ContainerPort = (chosen.Port, chosen.Location, chosen.Field);
        _draft.McpPortChoice = why;
        foreach (var port in _ports)
        {
            var hostNote = port.Published is null ? "" : $"; the published host port {port.Published} is dropped (servers are reached through their ClusterIP Service)";
            var row = port == chosen ? hostNote.Length == 0 ? null : new ReportEntry(port.Field + ".published", FieldOutcome.Dropped, hostNote[2..], port.Location)
                : port.Port == chosen.Port ? new ReportEntry(port.Field, FieldOutcome.Mapped, $"same container port {port.Port} as {chosen.Field}{hostNote}", port.Location)
                : port.Port == RuntimeContract.DefaultMetricsPort ? new ReportEntry(port.Field, FieldOutcome.Changed, $"port {port.Port} is the metrics port, which every server gets from the runtime contract", port.Location)
                : new ReportEntry(port.Field, FieldOutcome.Dropped, $"extra container port {port.Port}: a fleet server has one MCP port and the metrics port", port.Location, true);
            if (row is not null)
            {
                Defer(port.Row, row);
            }
        }
    }

    /// <summary>
    /// Adds a row that belongs where a field was written (<paramref name="row"/>, the row count then), though it could
    /// only be decided once every field was read.
    /// </summary>
    private void Defer(int row, ReportEntry entry) => _deferred.Add((row, _deferred.Count, entry));

    private void InsertDeferredRows()
    {
        // Last first, so each index still points where its field was written; rows at one index keep field order.
        foreach (var (row, _, entry) in _deferred.OrderByDescending(d => d.Row).ThenByDescending(d => d.Order))
        {
            _draft.Entries.Insert(row, entry);
        }
    }

    private (PortCandidate Port, string? Why) ChooseMcpPort()
    {
        var candidates = _ports.Where(p => p.Port != RuntimeContract.DefaultMetricsPort).DistinctBy(p => p.Port).ToList();
        if (candidates.Count <= 1)
        {
            return (candidates.Count == 1 ? candidates[0] : _ports[0], null);
        }

        foreach (var (name, value) in _envValues)
        {
            if (name.Contains("MCP", StringComparison.OrdinalIgnoreCase) && name.Contains("PORT", StringComparison.OrdinalIgnoreCase)
                && candidates.Find(c => c.Port.ToString(CultureInfo.InvariantCulture) == value?.Trim()) is { } named)
            {
                return (named, $"{name} names it");
            }
        }

        var commented = candidates.Where(c => candidates.Count(o => o.Location.File == c.Location.File && o.Location.Line == c.Location.Line) == 1
            && ComposeUnits.TrailingComment(_context.SourceLine(c.Location)) is { } comment && comment.Contains("mcp", StringComparison.OrdinalIgnoreCase)).ToList();
        if (commented.Count == 1)
        {
            return (commented[0], "its comment says MCP");
        }

        var words = (_draft.Command ?? []).Concat(_draft.Args ?? []).ToList();
        var inCommand = candidates.Where(c => words.Select((w, i) => PortWords.Mentions(i > 0 ? words[i - 1] : "", w, c.Port)).Any(m => m)).ToList();
        if (inCommand.Count == 1)
        {
            return (inCommand[0], "the command names it");
        }

        return (candidates[0], null);
    }

    private static bool TryParsePort(ComposeNode item, out int container, out string? published, out string protocol, out string problem)
    {
        container = 0;
        published = null;
        protocol = "tcp";
        problem = "not a port this importer understands: [[ip:]host:]container[/protocol], or a mapping with `target`";
        string target;
        if (item is ComposeMap map)
        {
            protocol = (map.Text("protocol") ?? "tcp").ToLowerInvariant();
            published = map.Text("published");
            target = map.Text("target") ?? "";
        }
        else if (item is ComposeScalar { Value: { } text })
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                protocol = text[(slash + 1)..].ToLowerInvariant();
                text = text[..slash];
            }

            // [ip:][host:]container; an IPv6 host address is bracketed.
            var parts = text.StartsWith('[') ? text[(text.IndexOf(']', StringComparison.Ordinal) + 2)..].Split(':') : text.Split(':');
            target = parts[^1];
            if (parts.Length >= 2 && parts[^2].Length > 0)
            {
                published = parts[^2];
            }
        }
        else
        {
            return false;
        }

        // A range maps its first port; the rest are reported with it.
        var dash = target.IndexOf('-', StringComparison.Ordinal);
        if (!int.TryParse(dash >= 0 ? target[..dash] : target, NumberStyles.None, CultureInfo.InvariantCulture, out container))
        {
            return false;
        }

        if (container is < 1 or > 65535)
        {
            problem = $"container port {container} is out of range: a TCP port is 1-65535";
            return false;
        }

        return true;
    }

    private void MapEnvironment(ComposeMap service)
    {
        if (_envDone)
        {
            return;
        }

        _envDone = true;
        var inputs = new List<(string Name, ComposeScalar? Value, string Field)>();
        if (service.Get("env_file") is { } envFiles)
        {
            foreach (var (path, required, location) in EnvFilePaths(envFiles))
            {
                var full = _context.ResolveRelative(location.File, path);
                if (!File.Exists(full))
                {
                    if (!required)
                    {
                        _draft.Report("env_file", FieldOutcome.Dropped, $"optional env file `{path}` does not exist", location);
                    }
                    else if (Path.IsPathRooted(path) && !Directory.Exists(full))
                    {
                        // A Swarm stack names files on its manager node (/etc/app/app.env): not here, and not needed to import.
                        _draft.Report("env_file", FieldOutcome.Dropped, $"{_context.Quote(ComposeScalar.Of(location, path), path)} is a path on the Swarm host and does not exist here: skipped, so its variables are not imported; set them in `env` or as secrets", location, true);
                    }
                    else
                    {
                        _context.Errors.Error(ImportCodes.Unreadable, location, Directory.Exists(full) ? $"env_file '{path}' is a directory, not a file" : $"env_file '{path}' not found");
                    }

                    continue;
                }

                var display = _context.Display(full);
                string envText;
                try
                {
                    envText = File.ReadAllText(full);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _context.Errors.Error(ImportCodes.Unreadable, location, $"env_file '{path}' cannot be read: {ImportRun.Reason(e)}");
                    continue;
                }

                foreach (var entry in EnvFileParser.Parse(envText, display, _context.Errors))
                {
                    ComposeScalar? value = null;
                    if (entry.Value is not null)
                    {
                        var result = _context.Interpolator.Expand(entry.Value, entry.Location);
                        value = new ComposeScalar(entry.Location, result.Value, result.Variables) { Raw = entry.Value, Missing = result.Missing };
                    }

                    inputs.RemoveAll(x => x.Name == entry.Name);
                    inputs.Add((entry.Name, value ?? ComposeScalar.Of(entry.Location, null), $"env_file({path}).{entry.Name}"));
                }
            }
        }

        if (service.Get("environment") is { } environment)
        {
            foreach (var (name, node) in ComposeMerger.AsKeyed(environment).Entries)
            {
                inputs.RemoveAll(x => x.Name == name);
                inputs.Add((name, node as ComposeScalar ?? ComposeScalar.Of(node.Location, null), "environment." + name));
            }
        }

        foreach (var (name, value, field) in inputs)
        {
            _envValues[name] = value?.Value;
        }

        foreach (var (name, value, field) in inputs)
        {
            MapEnvVar(name, value!, field);
        }
    }

    private static IEnumerable<(string Path, bool Required, SourceLocation Location)> EnvFilePaths(ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [node];
        foreach (var item in items)
        {
            if (item is ComposeScalar { Value: { } path })
            {
                yield return (path, true, item.Location);
            }
            else if (item is ComposeMap map && map.Text("path") is { } p)
            {
                yield return (p, map.Text("required") is not ("false" or "False"), item.Location);
            }
        }
    }

    private void MapEnvVar(string name, ComposeScalar scalar, string field)
    {
        var location = scalar.Location;
        var value = scalar.Value;
        var variables = scalar.Variables;
        if (value is null)
        {
            // Compose takes a bare KEY from the environment of `docker compose`; the import reads only the env file.
            if (_context.Interpolator.Variables.TryGetValue(name, out var fromEnvFile))
            {
                value = fromEnvFile;
                variables = [name];
            }
        }

        var reason = CredentialReason(name, value, variables);
        foreach (var missing in scalar.Missing)
        {
            if (reason is not null)
            {
                _draft.SecretOnlyRequired.Add(missing);
            }
            else if (field.StartsWith("env_file(", StringComparison.Ordinal))
            {
                // Env file values are not in the Compose tree that the run checks afterwards.
                _context.Errors.Add(missing.Error);
            }
        }

        if (name.EndsWith("_FILE", StringComparison.Ordinal) && value?.StartsWith("/run/secrets/", StringComparison.Ordinal) == true)
        {
            _draft.Report(field, FieldOutcome.Dropped, "points at a Docker secret file; secrets arrive as env vars (see `secrets`), so the server must read the variable instead", location, true);
            return;
        }

        // Variables McpFleet or the device plugin sets are dropped whatever they hold: their values go nowhere.
        if (s_reservedEnv.Contains(name) || name.EndsWith(RuntimeContract.EnvironmentVariables.DependencyUrlSuffix, StringComparison.Ordinal))
        {
            _draft.Report(field, FieldOutcome.Dropped, "McpFleet sets this variable itself (runtime contract)", location);
            return;
        }

        if (name == RuntimeContract.EnvironmentVariables.Environment)
        {
            if (value is not null && CredentialClassifier.ValueReason(value) is not null)
            {
                _draft.Report(field, FieldOutcome.Dropped, "the value looks like a credential, so it does not become the fleet's `environment` (left at its default)", location, true);
                return;
            }

            _context.Environments.Add((value ?? "", location));
            _draft.Report(field, FieldOutcome.Changed, "becomes the fleet's `environment`", location);
            return;
        }

        if (name is "NVIDIA_VISIBLE_DEVICES" or "NVIDIA_DRIVER_CAPABILITIES")
        {
            _draft.Report(field, FieldOutcome.Dropped, "the NVIDIA device plugin sets it for the GPUs it allocates", location);
            return;
        }

        if (reason is not null)
        {
            // The app reads the variable by its name, so it keeps it when it is a valid env var name.
            var secretName = SpecText.IsEnvName(name) ? name : EnvName(name);
            var remoteRef = AddSecret(secretName, reason, location);
            _draft.Report(field, FieldOutcome.Changed, $"credential ({reason}): moved to secret {secretName} with remoteRef `{remoteRef}`; put its value in the secret store", location, true);
            if (value is not null)
            {
                // The host of a credential URL (a webhook) is not itself secret; the server still has to reach it.
                NoteEgress(field, name, value, location);
            }

            return;
        }

        if (value?.Contains("docker.sock", StringComparison.Ordinal) == true)
        {
            _draft.Report(field, FieldOutcome.Refused, "points at the Docker daemon socket, which is not mounted (see `volumes`)", location, true);
            return;
        }

        if (!SpecText.IsEnvName(name))
        {
            _draft.Report(field, FieldOutcome.Dropped, "not a valid env var name ([A-Za-z_][A-Za-z0-9_]*), which the fleet spec requires", location, true);
            return;
        }

        if (value is null)
        {
            _draft.Report(field, FieldOutcome.Dropped, "no value (Compose would take it from the shell); set it in `env` or as a secret", location, true);
            return;
        }

        _draft.SetEnv(name, value);
        _draft.Report(field, FieldOutcome.Mapped, "env", location);
        NoteEgress(field, name, value, location);
    }

    /// <summary>
    /// Why an env var is a credential, unless its value is a boolean or a small integer: its name; a credential-named
    /// variable it interpolates (whatever the env file holds now, the deployed value is a credential, so even an empty
    /// one counts); its value; or a value that comes from the env file (which holds deployment values: when unsure, a
    /// secret).
    /// </summary>
    private string? CredentialReason(string name, string? value, IReadOnlyList<string> variables)
    {
        if (value is { Length: > 0 } && CredentialClassifier.IsInert(value))
        {
            return null;
        }

        if (CredentialClassifier.NameWord(name) is { } word)
        {
            return $"the name contains {word}";
        }

        if (variables.FirstOrDefault(v => CredentialClassifier.NameWord(v) is not null) is { } secretVariable)
        {
            return $"it interpolates ${{{secretVariable}}}";
        }

        if (value is null || CredentialClassifier.IsInert(value))
        {
            return null;
        }

        return CredentialClassifier.Classify(name, value)?.Reason
            ?? (variables.FirstOrDefault(_context.FromEnvFile) is { } fromEnvFile ? $"its value comes from the env file (${{{fromEnvFile}}})" : null);
    }

    /// <summary>
    /// An env URL or host name of an outside host means the server calls it: the per-server NetworkPolicy would block it
    /// unless the server declares it as egress. Hosts that are Compose services stay inside the fleet.
    /// </summary>
    private void NoteEgress(string field, string name, string value, SourceLocation location)
    {
        var fromUrl = EgressHosts.FromUrl(value);
        var hint = fromUrl ?? EgressHosts.FromHostValue(name, value, _envValues.GetValueOrDefault(EgressHosts.CompanionPortName(name)));
        if (hint is null || (hint.Host is { } host && _context.ServiceNames.Contains(host)))
        {
            return;
        }

        var existing = _draft.Egress.FindIndex(e => e.Host == hint.Host && e.Cidr == hint.Cidr);
        if (existing >= 0)
        {
            if (!_draft.Egress[existing].Ports.Contains(hint.Port))
            {
                _draft.Egress[existing] = _draft.Egress[existing] with { Ports = [.. _draft.Egress[existing].Ports, hint.Port] };
            }

            return;
        }

        _draft.Egress.Add(new EgressRule(hint.Host, hint.Cidr, [hint.Port]));
        var detail = fromUrl is not null
            ? $"the URL names an outside host: egress to {hint.Destination} port {hint.Port} (the NetworkPolicy allows only declared destinations)"
            : $"a host name: egress to {hint.Destination} port {hint.Port} (the NetworkPolicy allows only declared destinations){(hint.PortAssumed ? $"; no port is written, so HTTPS ({hint.Port}) is assumed: check it, or set {EgressHosts.CompanionPortName(name)}" : "")}";
        _draft.Report(field + " (egress)", FieldOutcome.Changed, detail, location, hint.PortAssumed);
    }

    private string AddSecret(string name, string reason, SourceLocation location)
    {
        var remoteRef = $"{_context.SecretPrefix}.{_draft.Name}.{name.ToLowerInvariant()}";
        _draft.Env.RemoveAll(e => e.Key == name);
        if (!_draft.Secrets.Exists(s => s.Variable == name))
        {
            _draft.Secrets.Add(new MovedSecret(_draft.Name, name, remoteRef, reason, location));
        }

        return remoteRef;
    }

    private static string EnvName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray();
        var result = new string(chars);
        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    private void MapSecrets(ComposeNode node)
    {
        if (node is not ComposeSequence list)
        {
            _draft.Report("secrets", FieldOutcome.Dropped, "not a list", node.Location, true);
            return;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var source = item is ComposeMap m ? m.Text("source") : (item as ComposeScalar)?.Value;
            var target = item is ComposeMap t ? t.Text("target") : null;
            if (source is null)
            {
                _draft.Report($"secrets[{i}]", FieldOutcome.Dropped, "no source", item.Location, true);
                continue;
            }

            var declared = _context.TopSecrets?.Get(source) as ComposeMap;
            var origin = declared is null ? "not declared under the top-level `secrets`"
                : declared.Text("external") is "true" or "True" ? "external secret" + (declared.Text("name") is { } n ? $" `{n}`" : "")
                : declared.Text("file") is { } file ? $"file secret from `{file}` (the file is not read)"
                : declared.Text("environment") is { } env ? $"secret from the variable {env}"
                : "secret";
            var name = EnvName(Path.GetFileName(target ?? source));
            var remoteRef = AddSecret(name, $"Compose secret `{source}`", item.Location);
            _draft.Report(
                $"secrets[{i}]",
                FieldOutcome.Changed,
                $"{origin}: becomes secret {name} with remoteRef `{remoteRef}`; it was the file /run/secrets/{target ?? source} and is now an env var, so the server must read {name}",
                item.Location,
                attention: true);
        }
    }

    private void MapDeploy(ComposeNode node)
    {
        if (node is not ComposeMap deploy)
        {
            _draft.Report("deploy", FieldOutcome.Dropped, "not a mapping", node.Location, true);
            return;
        }

        foreach (var (key, value) in deploy.Entries)
        {
            var field = "deploy." + key;
            switch (key)
            {
                case "replicas":
                    MapReplicas(field, value);
                    break;
                case "resources":
                    MapResources(value);
                    break;
                case "placement":
                    MapPlacement(value);
                    break;
                case "labels":
                    MapLabels(field, value);
                    break;
                case "mode":
                    var mode = (value as ComposeScalar)?.Text;
                    if (mode == "global")
                    {
                        _draft.Report(field, FieldOutcome.Dropped, "`global` (one task per node) is a DaemonSet pattern; MCP servers run as Deployments with `replicas`", value.Location, true);
                    }
                    else
                    {
                        _draft.Report(field, FieldOutcome.Mapped, "replicated: a Deployment", value.Location);
                    }

                    break;
                case "update_config":
                case "rollback_config":
                    _draft.Report(field, FieldOutcome.Changed, "rollouts use RollingUpdate with maxSurge 25% and maxUnavailable 0 (GPU: maxSurge 0, maxUnavailable 1); `mcpfleet deploy` rolls back a failed phase", value.Location);
                    break;
                case "restart_policy":
                    _draft.Report(field, FieldOutcome.Dropped, "Kubernetes restarts failed containers (restartPolicy Always) with back-off", value.Location);
                    break;
                case "endpoint_mode":
                    _draft.Report(field, FieldOutcome.Dropped, "a ClusterIP Service load-balances over ready pods", value.Location);
                    break;
                default:
                    _draft.Report(field, key.StartsWith("x-", StringComparison.Ordinal) ? FieldOutcome.Ignored : FieldOutcome.Dropped, key.StartsWith("x-", StringComparison.Ordinal) ? "extension field" : "not supported", value.Location);
                    break;
            }
        }
    }

    private void MapReplicas(string field, ComposeNode node)
    {
        if (int.TryParse((node as ComposeScalar)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas >= 1)
        {
            _draft.Replicas = replicas;
            _draft.Report(field, FieldOutcome.Mapped, $"replicas: {replicas} (no HPA, so the Deployment owns the count)", node.Location);
        }
        else
        {
            _draft.Report(field, FieldOutcome.Dropped, "not a positive whole number; the fleet default applies", node.Location, true);
        }
    }

    private void MapResources(ComposeNode node)
    {
        if (node is not ComposeMap resources)
        {
            _draft.Report("deploy.resources", FieldOutcome.Dropped, "not a mapping", node.Location, true);
            return;
        }

        foreach (var (key, value) in resources.Entries)
        {
            var field = "deploy.resources." + key;
            if (key is not ("limits" or "reservations") || value is not ComposeMap quantities)
            {
                _draft.Report(field, FieldOutcome.Dropped, "not supported", value.Location, true);
                continue;
            }

            var target = key == "limits" ? "limits" : "requests";
            string? cpu = null;
            string? memory = null;
            foreach (var (name, q) in quantities.Entries)
            {
                var qField = $"{field}.{name}";
                var text = (q as ComposeScalar)?.Text ?? "";
                switch (name)
                {
                    case "cpus":
                        cpu = ConvertCpu(qField, text, target, q.Location) ?? cpu;
                        break;
                    case "memory":
                        memory = ConvertMemory(qField, text, target, q.Location) ?? memory;
                        break;
                    case "devices":
                        MapDevices(qField, q);
                        break;
                    case "generic_resources":
                        MapGenericResources(qField, q);
                        break;
                    case "pids":
                        _draft.Report(qField, FieldOutcome.Dropped, "pid limits are a kubelet setting (podPidsLimit), not a pod field", q.Location);
                        break;
                    default:
                        _draft.Report(qField, FieldOutcome.Dropped, "not supported", q.Location, true);
                        break;
                }
            }

            SetQuantities(target, cpu, memory);
        }
    }

    private void MapLegacyResource(string key, ComposeNode node)
    {
        var text = (node as ComposeScalar)?.Text ?? "";
        if (key == "cpus")
        {
            SetQuantities("limits", ConvertCpu(key, text, "limits", node.Location), null);
        }
        else
        {
            var target = key == "mem_limit" ? "limits" : "requests";
            var memory = ConvertMemory(key, text, target, node.Location);
            SetQuantities(target, null, memory);
        }
    }

    private void SetQuantities(string target, string? cpu, string? memory)
    {
        if (cpu is null && memory is null)
        {
            return;
        }

        if (target == "limits")
        {
            _draft.Limits = new ResourceQuantities(cpu ?? _draft.Limits?.Cpu, memory ?? _draft.Limits?.Memory);
        }
        else
        {
            _draft.Requests = new ResourceQuantities(cpu ?? _draft.Requests?.Cpu, memory ?? _draft.Requests?.Memory);
        }
    }

    private string? ConvertCpu(string field, string text, string target, SourceLocation location)
    {
        if (!ComposeUnits.TryCpu(text, out var quantity, out var rounded))
        {
            _draft.Report(field, FieldOutcome.Dropped, $"{_context.Quote(ComposeScalar.Of(location, text), text)} is not a number of CPUs", location, true);
            return null;
        }

        _draft.Report(field, quantity == text ? FieldOutcome.Mapped : FieldOutcome.Changed, quantity == text ? $"{target}.cpu `{quantity}`" : $"{target}.cpu: `{text}` → `{quantity}`{(rounded ? " (rounded up to a whole millicore)" : "")}", location);
        return quantity;
    }

    private string? ConvertMemory(string field, string text, string target, SourceLocation location)
    {
        if (!ComposeUnits.TryMemory(text, out var quantity, out var rounded))
        {
            _draft.Report(field, FieldOutcome.Dropped, $"{_context.Quote(ComposeScalar.Of(location, text), text)} is not a byte size", location, true);
            return null;
        }

        _draft.Report(field, FieldOutcome.Changed, $"{target}.memory: `{text}` → `{quantity}` (Compose units are powers of 1024){(rounded ? "; rounded up to a whole byte" : "")}", location);
        return quantity;
    }

    private void MapDevices(string field, ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        foreach (var device in items.OfType<ComposeMap>())
        {
            var capabilities = device.Get("capabilities") is ComposeSequence caps ? caps.Items.OfType<ComposeScalar>().Select(c => c.Text).ToList() : [];
            var driver = device.Text("driver");
            if (!capabilities.Contains("gpu") && driver != "nvidia")
            {
                _draft.Report(field, FieldOutcome.Dropped, "device reservations other than GPUs are not supported", device.Location, true);
                continue;
            }

            var countText = device.Text("count");
            var ids = device.Get("device_ids") is ComposeSequence idList ? idList.Items.Count : 0;
            int count;
            if (countText == "all")
            {
                count = 1;
                _draft.Report(field + ".count", FieldOutcome.Changed, "`all` GPUs becomes a request for 1 GPU; set gpu.count if the server needs more", device.Location, true);
            }
            else if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                count = ids > 0 ? ids : 1;
            }

            if (ids > 0)
            {
                _draft.Report(field + ".device_ids", FieldOutcome.Dropped, "specific GPU ids cannot be pinned; the device plugin picks free GPUs", device.Location);
            }

            NoteGpu(count, device.Location);
            _draft.Report(field, FieldOutcome.Changed, $"GPU reservation: gpu.count {count} (`nvidia.com/gpu` in requests and limits)", device.Location);
        }
    }

    private void MapGenericResources(string field, ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        foreach (var item in items.OfType<ComposeMap>())
        {
            var spec = item.Get("discrete_resource_spec") as ComposeMap;
            var kind = spec?.Text("kind") ?? "";
            if (spec is not null && kind.Contains("gpu", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(spec.Text("value"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                NoteGpu(count, item.Location);
                _draft.Report(field, FieldOutcome.Changed, $"Swarm generic resource `{kind}`: gpu.count {count}", item.Location);
            }
            else
            {
                _draft.Report(field, FieldOutcome.Dropped, "only GPU generic resources are supported", item.Location, true);
            }
        }
    }

    private void MapPlacement(ComposeNode node)
    {
        if (node is not ComposeMap placement)
        {
            return;
        }

        foreach (var (key, value) in placement.Entries)
        {
            var field = "deploy.placement." + key;
            if (key == "constraints" && value is ComposeSequence constraints)
            {
                for (var i = 0; i < constraints.Items.Count; i++)
                {
                    var c = (constraints.Items[i] as ComposeScalar)?.Text ?? "";
                    var match = Constraint().Match(c);
                    var label = match.Success ? match.Groups[1].Value : "";
                    var labelValue = match.Success ? match.Groups[3].Value : "";
                    if (match.Success && match.Groups[2].Value == "==" && label.Contains("gpu", StringComparison.OrdinalIgnoreCase))
                    {
                        var isType = label.Contains("type", StringComparison.OrdinalIgnoreCase) || label.Contains("model", StringComparison.OrdinalIgnoreCase);
                        if (isType)
                        {
                            _gpuType = labelValue;
                        }

                        NoteGpu(null, constraints.Items[i].Location);
                        _draft.Report($"{field}[{i}]", FieldOutcome.Changed, isType ? $"GPU constraint: gpu.type `{labelValue}` (nodeSelector gpu-type)" : "GPU constraint: a GPU server (nodeSelector nvidia.com/gpu)", constraints.Items[i].Location);
                    }
                    else
                    {
                        _draft.Report($"{field}[{i}]", FieldOutcome.Dropped, $"{_context.Quote(constraints.Items[i], c)}: node constraints other than GPUs are not carried over, as the fleet spec has no node selector; if the server must run on certain nodes, add a nodeSelector or node affinity to the rendered Deployment mcp-{_draft.Name} with a Kustomize patch", constraints.Items[i].Location, true);
                    }
                }
            }
            else if (key is "preferences" or "max_replicas_per_node")
            {
                _draft.Report(field, FieldOutcome.Changed, "replicas spread over nodes with a topologySpreadConstraint on kubernetes.io/hostname", value.Location);
            }
            else
            {
                _draft.Report(field, FieldOutcome.Dropped, "not supported", value.Location, true);
            }
        }
    }

    private void MapRuntime(ComposeNode node)
    {
        var runtime = (node as ComposeScalar)?.Text ?? "";
        if (runtime == "nvidia")
        {
            _runtimeClass = "nvidia";
            NoteGpu(null, node.Location);
            _draft.Report("runtime", FieldOutcome.Changed, "gpu.runtimeClassName `nvidia`", node.Location);
        }
        else
        {
            _draft.Report("runtime", FieldOutcome.Dropped, $"runtime {_context.Quote(node, runtime)} has no Kubernetes equivalent here", node.Location, true);
        }
    }

    private void NoteGpu(int? count, SourceLocation location)
    {
        _gpuLocation ??= location;
        if (count is not null)
        {
            _gpuCount = Math.Max(_gpuCount ?? 0, count.Value);
        }
    }

    private void FinishGpu()
    {
        if (_gpuLocation is not { } location)
        {
            return;
        }

        if (_gpuType is null)
        {
            _draft.Report("gpu.type", FieldOutcome.Changed, $"no GPU type in the Compose file; set to `{DefaultGpuType}` (the nodes' gpu-type label): check it", location, true);
        }

        _draft.Gpu = new GpuSpec(_gpuType ?? DefaultGpuType, Math.Max(1, _gpuCount ?? 1), _runtimeClass);
    }

    private void MapDependsOn(ComposeNode node)
    {
        foreach (var (service, value) in ComposeMerger.AsKeyed(node).Entries)
        {
            var condition = (value as ComposeMap)?.Text("condition") ?? "service_started";
            _draft.DependsOn.Add((service, condition, value.Location));
        }
    }

    private void MapHealthcheck(ComposeNode node)
    {
        var healthcheck = node as ComposeMap;
        if (healthcheck?.Text("disable") is "true" or "True")
        {
            _draft.Report("healthcheck", FieldOutcome.Dropped, "disabled in Compose; the runtime contract's probes apply anyway", node.Location);
            return;
        }

        var test = healthcheck?.Get("test") is { } t ? string.Join(' ', ComposeNode.Scalars(t).Select(w => w.Text)) : "";
        if (HealthcheckUrl().Match(test) is { Success: true } url)
        {
            // Checked against the MCP port once the ports are read (FinishHealthcheck).
            _healthcheck = (url.Groups["path"].Value, int.TryParse(url.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null, node.Location, _draft.Entries.Count);
            _finishes.TryAdd(_position, FinishHealthcheck);
        }
        else
        {
            _draft.Report("healthcheck", FieldOutcome.Changed, $"not carried over: the healthcheck is not an HTTP GET on the container, and the probes GET {RuntimeContract.HealthPath} (startup, liveness) and {RuntimeContract.ReadyPath} (readiness) on the MCP port; the server must serve them, or set probes.healthPath and probes.readyPath to paths it serves", node.Location, true);
        }

        var startPeriod = healthcheck?.Get("start_period") as ComposeScalar;
        if (startPeriod is not null && ComposeUnits.TryDurationSeconds(startPeriod.Text, out var seconds))
        {
            var budget = RuntimeContract.Probes.StartupPeriodSeconds * RuntimeContract.Probes.StartupFailureThreshold;
            if (seconds > budget)
            {
                var threshold = (seconds + RuntimeContract.Probes.StartupPeriodSeconds - 1) / RuntimeContract.Probes.StartupPeriodSeconds;
                _draft.Probes = (_draft.Probes ?? new ProbeOverrides()) with { StartupFailureThreshold = threshold };
                _draft.Report("healthcheck.start_period", FieldOutcome.Changed, $"{seconds}s to start: probes.startupFailureThreshold {threshold} (× {RuntimeContract.Probes.StartupPeriodSeconds}s)", startPeriod.Location);
            }
            else
            {
                _draft.Report("healthcheck.start_period", FieldOutcome.Dropped, $"{seconds}s fits the startup probe's {budget}s", startPeriod.Location);
            }
        }
    }

    private List<string>? MapCommand(string key, ComposeNode node, string target)
    {
        var words = new List<string>();
        var placeholder = target.ToUpperInvariant();
        var scalars = node is ComposeSequence s ? s.Items.OfType<ComposeScalar>().ToList() : node is ComposeScalar one ? [one] : [];
        var secretVariables = new List<(string Name, string Why)>();
        var redacted = 0;
        foreach (var scalar in scalars)
        {
            // Credential variables become $(VAR), which Kubernetes expands from the env var the ExternalSecret fills.
            var text = scalar.Raw is null ? scalar.Text : _context.Interpolator.Reinterpolate(scalar.Raw, scalar.Location, name =>
            {
                if (VariableSecretReason(name) is not { } why)
                {
                    return null;
                }

                secretVariables.Add((name, why));
                _draft.SecretOnlyRequired.UnionWith(scalar.Missing.Where(m => m.Name == name));
                return $"$({EnvName(name)})";
            });
            var split = node is ComposeSequence ? [text] : ComposeUnits.SplitShellWords(text);
            foreach (var word in split)
            {
                var index = words.Count;
                var secrets = CommandWords.FindSecrets(index > 0 ? words[^1] : "", word);
                if (secrets.Count == 0)
                {
                    words.Add(word);
                    continue;
                }

                redacted++;
                words.Add(CommandWords.Redact(word, secrets, (n, why) =>
                {
                    var name = n == 0 ? $"{placeholder}_{index}_SECRET" : $"{placeholder}_{index}_SECRET_{n + 1}";
                    var remoteRef = AddSecret(name, $"{key} word {index}: {why}", scalar.Location);
                    _draft.Report($"{key}[{index}]", FieldOutcome.Changed, $"credential ({why}): replaced by $({name}), a secret with remoteRef `{remoteRef}`", scalar.Location, true);
                    return $"$({name})";
                }));
            }
        }

        foreach (var (variable, why) in secretVariables.DistinctBy(v => v.Name))
        {
            var name = EnvName(variable);
            var remoteRef = AddSecret(name, $"{key} interpolates ${{{variable}}}", node.Location);
            _draft.Report($"{key}.${{{variable}}}", FieldOutcome.Changed, $"credential ({why}): ${{{variable}}} becomes $({name}), expanded by Kubernetes from a secret with remoteRef `{remoteRef}`", node.Location, true);
        }

        var unchanged = node is ComposeSequence && redacted == 0 && secretVariables.Count == 0;
        var shape = CommandWords.Shape(words, placeholder);
        _draft.Report(key, unchanged ? FieldOutcome.Mapped : FieldOutcome.Changed, $"container {target} ({words.Count} word{(words.Count == 1 ? "" : "s")}; values shown as $({placeholder}_n), see `{target}` in the values file): `{shape}`{(node is ComposeScalar ? " (split into words as Compose does)" : "")}", node.Location);
        return words;
    }

    /// <summary>Why a variable interpolated into a command word must not appear as its value, or <see langword="null"/>.</summary>
    private string? VariableSecretReason(string name) =>
        CredentialClassifier.NameWord(name) is { } word ? $"the name contains {word}"
        : _context.FromEnvFile(name) ? "its value comes from the env file"
        : null;

    private void MapLabels(string field, ComposeNode node)
    {
        foreach (var (key, value) in ComposeMerger.AsKeyed(node).Entries)
        {
            var text = (value as ComposeScalar)?.Text ?? "";
            var labelField = $"{field}.{key}";
            var (keep, why) = ComposeFieldNotes.JudgeLabel(key, text);
            if (CredentialClassifier.Classify(key, text) is not null || (value as ComposeScalar)?.Variables.Any(_context.FromEnvFile) == true && !CredentialClassifier.IsInert(text))
            {
                _draft.Report(labelField, FieldOutcome.Dropped, "looks like a credential, or comes from the env file; labels are public, so it is not kept", value.Location, true);
            }
            else if (key is "description" or "org.opencontainers.image.description" && text.Length > 0)
            {
                _draft.Description = text;
                _draft.Report(labelField, FieldOutcome.Changed, "becomes the server's `description`", value.Location);
            }
            else if (keep)
            {
                _draft.Labels[key] = text;
                _draft.Report(labelField, FieldOutcome.Mapped, "label on every object of the server", value.Location);
            }
            else
            {
                _draft.Report(labelField, FieldOutcome.Dropped, why, value.Location);
            }
        }
    }

    private void MapVolumes(ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        for (var i = 0; i < items.Count; i++)
        {
            var (kind, source, target) = ParseVolume(items[i]);
            var field = $"volumes[{i}]";
            var location = items[i].Location;
            if (source?.Contains("docker.sock", StringComparison.Ordinal) == true)
            {
                _draft.Report(field, FieldOutcome.Refused, $"{_context.Quote(items[i], source)} gives the container root on the host through the Docker daemon, and K3s nodes run containerd with no Docker daemon; call the Kubernetes API with a scoped ServiceAccount instead", location, true);
            }
            else if (kind == "bind")
            {
                _draft.Report(field, FieldOutcome.Refused, $"bind mount {_context.Quote(items[i], source ?? "")} → {_context.Quote(items[i], target)}: host paths do not exist on cluster nodes and hostPath is forbidden under Pod Security restricted; bake files into the image, or use env and the server ConfigMap", location, true);
            }
            else if (kind == "tmpfs" || target == RuntimeContract.TempDirectory)
            {
                _draft.Report(field, target == RuntimeContract.TempDirectory ? FieldOutcome.Changed : FieldOutcome.Dropped, target == RuntimeContract.TempDirectory ? $"every server gets an emptyDir at {RuntimeContract.TempDirectory}" : $"scratch space at {_context.Quote(items[i], target)}: only {RuntimeContract.TempDirectory} is writable (read-only root filesystem)", location, target != RuntimeContract.TempDirectory);
            }
            else
            {
                _draft.Report(field, FieldOutcome.Dropped, $"{(source is null ? "anonymous volume" : $"named volume {_context.Quote(items[i], source)}")} at {_context.Quote(items[i], target)}: not supported for MCP servers, which are stateless Deployments; keep state in a database or a service the server calls", location, true);
            }
        }
    }

    private void MapTmpfs(ComposeNode node)
    {
        var targets = node is ComposeSequence s ? s.Items.OfType<ComposeScalar>().Select(x => x.Text.Split(':')[0]).ToList() : [(node as ComposeScalar)?.Text ?? ""];
        var other = targets.Where(t => t != RuntimeContract.TempDirectory).ToList();
        _draft.Report("tmpfs", other.Count == 0 ? FieldOutcome.Changed : FieldOutcome.Dropped, other.Count == 0 ? $"every server gets an emptyDir at {RuntimeContract.TempDirectory}" : $"only {RuntimeContract.TempDirectory} is writable; {_context.Quote(node, string.Join(", ", other))} is not", node.Location, other.Count > 0);
    }

    private static (string Kind, string? Source, string Target) ParseVolume(ComposeNode node)
    {
        if (node is ComposeMap map)
        {
            return (map.Text("type") ?? "volume", map.Text("source"), map.Text("target") ?? "");
        }

        var text = (node as ComposeScalar)?.Text ?? "";
        var parts = text.Split(':');
        if (parts.Length == 1)
        {
            return ("volume", null, parts[0]);
        }

        var source = parts[0];
        var isPath = source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~') || source.StartsWith('$');
        return (isPath ? "bind" : "volume", source, parts[1]);
    }

    [GeneratedRegex(@"^\s*([A-Za-z0-9_.\-]+)\s*(==|!=)\s*(.+?)\s*$")]
    private static partial Regex Constraint();

    // A GET the container makes on itself: http://localhost:9000/healthz, http://127.0.0.1/ready, http://0.0.0.0:8080/.
    [GeneratedRegex(@"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(?<port>[0-9]{1,5}))?(?<path>/[^\s""'|;&]*)")]
    private static partial Regex HealthcheckUrl();

    /// <summary>A TCP container port of the service, and the report row index where its row goes.</summary>
    private sealed record PortCandidate(int Port, string? Published, SourceLocation Location, string Field, int Row);
}
