using McpFleet.Diagnostics;
using McpFleet.Import.Mapping;
using McpFleet.Spec;

namespace McpFleet.Import.Passes;

/// <summary>
/// One import, pass by pass: check the options, read the env file and the Compose files, merge them, check and select
/// the services, map each onto a server draft, then settle what needs every server (required variables, dependencies
/// and phases, egress, ports, images, resources) and assemble the fleet and its report. A pass that finds unusable
/// input stops the run: nothing is produced but the errors.
/// </summary>
internal static class ImportPipeline
{
    /// <summary>Runs the import.</summary>
    /// <param name="options">The files and settings.</param>
    /// <returns>The fleet and its report, or the errors.</returns>
    public static ComposeImportResult Run(ComposeImportOptions options)
    {
        var errors = new DiagnosticBag();
        OptionChecks.Check(options, errors);
        if (errors.HasErrors)
        {
            return Failed(errors);
        }

        var inputs = new InputReading(options, errors);
        var interpolator = new Interpolator(inputs.ReadVariables(), errors, deferRequired: true);
        var secretPrefix = options.SecretPrefix ?? FleetDefaults.SecretPrefix;
        var context = new ImportContext(interpolator, errors, secretPrefix, options.BaseDirectory, inputs.FullPaths, inputs.SourceLines);
        var files = inputs.ReadFiles(interpolator);
        if (errors.HasErrors || files.Count == 0)
        {
            return Failed(errors);
        }

        var merged = files.Aggregate(ComposeMerger.MergeFiles);
        var services = ServiceChecks.Check(merged, options, inputs.Inputs[0], errors);
        if (services is null || errors.HasErrors)
        {
            return Failed(errors);
        }

        var topLevel = TopLevelReport.Rows(merged, interpolator);
        context.TopSecrets = merged.Get("secrets") as ComposeMap;
        context.ServiceNames.UnionWith(services.Entries.Select(e => e.Key));
        var selection = ServiceSelection.Select(services, options, inputs.Inputs[0], errors);
        if (errors.HasErrors)
        {
            return Failed(errors);
        }

        foreach (var (draft, service) in selection.Drafts)
        {
            ServiceMapper.Map(context, draft, service);
        }

        RequiredVariables.Check(merged, selection.Drafts, errors);
        if (errors.HasErrors)
        {
            return Failed(errors);
        }

        var servers = selection.Drafts.Select(d => d.Draft).ToList();
        DependencyPhases.Resolve(servers, selection.NotImported);
        EgressCheck.NoteMissing(servers);
        PortAssignment.Assign(servers, options.Ports ?? FleetDefaults.Ports, errors);
        if (errors.HasErrors)
        {
            return Failed(errors);
        }

        var image = ImageSettlement.Settle(servers);
        foreach (var server in servers)
        {
            ResourceCompletion.CompleteResources(server);
            ResourceCompletion.NoteSingleReplica(server);
        }

        return FleetAssembly.Build(options, merged, image, context, inputs, topLevel, selection);
    }

    private static ComposeImportResult Failed(DiagnosticBag errors) => new(null, null, errors.Sorted());
}
