namespace McpFleet.Import.Mapping;

/// <summary><c>volumes</c> and <c>tmpfs</c>: MCP servers are stateless, so only <c>/tmp</c> (an emptyDir) is kept.</summary>
internal static class StorageMapping
{
    /// <summary>Maps <c>volumes</c>: the Docker socket and bind mounts are refused, volumes dropped, <c>/tmp</c> kept.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void MapVolumes(ServiceMapping mapping, ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        for (var i = 0; i < items.Count; i++)
        {
            var (kind, source, target) = ParseVolume(items[i]);
            var field = $"volumes[{i}]";
            var location = items[i].Location;
            var quote = mapping.Context.Quote;
            if (source?.Contains("docker.sock", StringComparison.Ordinal) == true)
            {
                mapping.Report(field, FieldOutcome.Refused, $"{quote(items[i], source)} gives the container root on the host through the Docker daemon, and K3s nodes run containerd with no Docker daemon; call the Kubernetes API with a scoped ServiceAccount instead", location, true);
            }
            else if (kind == "bind")
            {
                mapping.Report(field, FieldOutcome.Refused, $"bind mount {quote(items[i], source ?? "")} → {quote(items[i], target)}: host paths do not exist on cluster nodes and hostPath is forbidden under Pod Security restricted; bake files into the image, or use env and the server ConfigMap", location, true);
            }
            else if (kind == "tmpfs" || target == RuntimeContract.TempDirectory)
            {
                mapping.Report(field, target == RuntimeContract.TempDirectory ? FieldOutcome.Changed : FieldOutcome.Dropped, target == RuntimeContract.TempDirectory ? $"every server gets an emptyDir at {RuntimeContract.TempDirectory}" : $"scratch space at {quote(items[i], target)}: only {RuntimeContract.TempDirectory} is writable (read-only root filesystem)", location, target != RuntimeContract.TempDirectory);
            }
            else
            {
                mapping.Report(field, FieldOutcome.Dropped, $"{(source is null ? "anonymous volume" : $"named volume {quote(items[i], source)}")} at {quote(items[i], target)}: not supported for MCP servers, which are stateless Deployments; keep state in a database or a service the server calls", location, true);
            }
        }
    }

    /// <summary>Maps <c>tmpfs</c>: only <c>/tmp</c> is writable.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void MapTmpfs(ServiceMapping mapping, ComposeNode node)
    {
        var targets = node is ComposeSequence s ? s.Items.OfType<ComposeScalar>().Select(x => x.Text.Split(':')[0]).ToList() : [(node as ComposeScalar)?.Text ?? ""];
        var other = targets.Where(t => t != RuntimeContract.TempDirectory).ToList();
        mapping.Report("tmpfs", other.Count == 0 ? FieldOutcome.Changed : FieldOutcome.Dropped, other.Count == 0 ? $"every server gets an emptyDir at {RuntimeContract.TempDirectory}" : $"only {RuntimeContract.TempDirectory} is writable; {mapping.Context.Quote(node, string.Join(", ", other))} is not", node.Location, other.Count > 0);
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
}
