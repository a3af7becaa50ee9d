namespace McpFleet.Import.Mapping;

/// <summary>
/// Maps the fields of one Compose service onto a <see cref="ServerDraft"/>, reporting each field: a dispatcher over
/// the service's keys to the mapping of each Compose section.
/// </summary>
internal static class ServiceMapper
{
    /// <summary>Maps <paramref name="service"/> onto <paramref name="draft"/>.</summary>
    /// <param name="context">What the whole import shares.</param>
    /// <param name="draft">The server being built.</param>
    /// <param name="service">The merged service mapping.</param>
    public static void Map(ImportContext context, ServerDraft draft, ComposeMap service)
    {
        var mapping = new ServiceMapping(context, draft);
        var environmentDone = false;
        foreach (var (key, node) in service.Entries)
        {
            mapping.Position++;
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                mapping.Report(key, FieldOutcome.Ignored, "extension field", node.Location);
                continue;
            }

            switch (key)
            {
                case "image":
                    ImageMapping.MapImage(mapping, node);
                    break;
                case "build":
                    ImageMapping.MapBuild(mapping, node, service);
                    break;
                case "ports":
                case "expose":
                    PortMapping.Map(mapping, key, node);
                    break;
                case "environment" or "env_file" when !environmentDone:
                    // Both keys feed one env (environment over env_file): mapped once, where the first one is.
                    environmentDone = true;
                    EnvironmentMapping.Map(mapping, service);
                    break;
                case "environment" or "env_file":
                    break;
                case "secrets":
                    CredentialMapping.MapSecrets(mapping, node);
                    break;
                case "deploy":
                    DeployMapping.Map(mapping, node);
                    break;
                case "depends_on":
                    foreach (var (dependency, value) in ComposeMerger.AsKeyed(node).Entries)
                    {
                        draft.DependsOn.Add((dependency, (value as ComposeMap)?.Text("condition") ?? "service_started", value.Location));
                    }

                    break;
                case "healthcheck":
                    HealthcheckMapping.Map(mapping, node);
                    break;
                case "command":
                    draft.Args = CommandMapping.Map(mapping, key, node, "args");
                    break;
                case "entrypoint":
                    draft.Command = CommandMapping.Map(mapping, key, node, "command");
                    break;
                case "labels":
                    LabelMapping.Map(mapping, key, node);
                    break;
                case "volumes":
                    StorageMapping.MapVolumes(mapping, node);
                    break;
                case "tmpfs":
                    StorageMapping.MapTmpfs(mapping, node);
                    break;
                case "mem_limit":
                case "mem_reservation":
                case "cpus":
                    ResourceMapping.MapLegacy(mapping, key, node);
                    break;
                case "scale":
                    DeployMapping.MapReplicas(mapping, key, node);
                    break;
                case "runtime":
                    GpuMapping.MapRuntime(mapping, node);
                    break;
                case "stdin_open" when node is ComposeScalar { Value: "true" }:
                    // Decided with the ports and the command once every key is read (StdioMapping).
                    draft.StdinOpen = node.Location;
                    break;
                default:
                    var (outcome, detail, attention) = ComposeFieldNotes.ForServiceKey(key, node);
                    mapping.Report(key, outcome, detail, node.Location, attention);
                    break;
            }
        }

        mapping.Finish();
        StdioMapping.Map(draft);
    }
}
