using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Import.Passes;

/// <summary>The last pass: the fleet spec and the migration report from the settled drafts.</summary>
internal static class FleetAssembly
{
    /// <summary>Builds the fleet and its report.</summary>
    /// <param name="options">The options (namespace, callers, port range).</param>
    /// <param name="merged">The merged Compose files (the project <c>name</c>).</param>
    /// <param name="image">The fleet image pattern, if any.</param>
    /// <param name="context">What the import shared (the <c>ENVIRONMENT</c> values seen).</param>
    /// <param name="inputs">What was read, as displayed.</param>
    /// <param name="topLevel">The top-level rows; the fleet-level rows are added to it.</param>
    /// <param name="selection">The servers, settled, and the services left out.</param>
    /// <returns>The result.</returns>
    public static ComposeImportResult Build(ComposeImportOptions options, ComposeMap merged, string? image, ImportContext context, InputReading inputs, List<ReportEntry> topLevel, ServiceSelection selection)
    {
        var drafts = selection.Drafts.Select(d => d.Draft).ToList();
        string? environment = null;
        var environments = context.Environments.Select(e => e.Value).Distinct().ToList();
        if (environments.Count == 1)
        {
            environment = environments[0];
        }
        else if (environments.Count > 1)
        {
            topLevel.Add(new ReportEntry("ENVIRONMENT", FieldOutcome.Changed, "services set different values; the fleet has one `environment`, left at its default", context.Environments[0].Location, true));
        }

        var fleetEnv = EnvHoisting.Hoist(drafts);
        var phaseCount = drafts.Max(d => d.Phase);
        var phaseNames = Enumerable.Range(1, phaseCount).Select(n => n == 1 ? "core" : $"tier-{n}").ToList();
        var phases = phaseNames
            .Select((name, i) => new PhaseSpec(name, [.. drafts.Where(d => d.Phase == i + 1).Select(d => d.Name).Order(StringComparer.Ordinal)]))
            .ToList();
        var callers = options.Callers.Count > 0 ? options.Callers : FleetDefaults.Callers;
        topLevel.Add(new ReportEntry(
            "(callers)",
            FieldOutcome.Changed,
            $"Compose has no caller list: `callers` is {string.Join(", ", callers.Select(c => $"{c.Key}={c.Value}"))}{(options.Callers.Count > 0 ? " (--caller)" : " (the default; change it with --caller)")}; only pods with these labels and other MCP servers may call the servers",
            SourceLocation.OfFile(inputs.Inputs[0])));
        var spec = new FleetSpec
        {
            Name = merged.Text("name") is { Length: > 0 } n ? ComposeImporter.SanitizeName(n) : null,
            Namespace = options.Namespace ?? FleetDefaults.Namespace,
            Image = image,
            Environment = environment,
            Env = fleetEnv,

            // Name and kind only: the refresh interval stays the resolver's default, not a literal in the file.
            SecretStore = new SecretStoreSpec(FleetDefaults.SecretStore.Name, FleetDefaults.SecretStore.Kind),
            Ports = options.Ports ?? FleetDefaults.Ports,
            Callers = callers,
            Phases = phases,
            Servers = [.. drafts.OrderBy(d => d.Name, StringComparer.Ordinal).Select(ToServerSpec)],
        };

        var serviceReports = drafts
            .Select(d => new ServiceReport(
                d.Service,
                d.Name,
                $"{(d.Included ? "included with --include: " : "")}MCP server `{d.Name}`, port {d.Port}, phase {d.Phase} ({phaseNames[d.Phase - 1]})",
                d.Location,
                d.Entries))
            .Concat(selection.LeftOut)
            .OrderBy(r => r.Location.File, StringComparer.Ordinal)
            .ThenBy(r => r.Location.Line)
            .ToList();
        var report = new ImportReport(
            inputs.Inputs,
            inputs.EnvFile,
            topLevel,
            serviceReports,
            [.. drafts.SelectMany(d => d.Secrets)],
            [.. phases.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Name, p.Servers))]);
        return new ComposeImportResult(spec, report, []);
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
        Transport = d.Transport,
    };
}
