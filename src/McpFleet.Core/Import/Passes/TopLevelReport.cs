using McpFleet.Credentials;

namespace McpFleet.Import.Passes;

/// <summary>The report rows of the top-level keys (<c>version</c>, <c>networks</c>, <c>volumes</c>, <c>secrets</c> …).</summary>
internal static class TopLevelReport
{
    private static readonly HashSet<string> s_topLevelKeys = ["version", "name", "services", "networks", "volumes", "secrets", "configs", "include"];

    /// <summary>Describes each top-level key, and each variable used without a value (⚠, unless it is a credential's).</summary>
    /// <param name="merged">The merged Compose files.</param>
    /// <param name="interpolator">The interpolator, which knows the variables used without a value.</param>
    /// <returns>The rows, in key order.</returns>
    public static List<ReportEntry> Rows(ComposeMap merged, Interpolator interpolator)
    {
        var rows = new List<ReportEntry>();
        foreach (var (key, node) in merged.Entries)
        {
            var at = merged.KeyLocation(key);
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                rows.Add(new ReportEntry(key, FieldOutcome.Ignored, "extension field (its anchors were applied where they are used)", at));
                continue;
            }

            switch (key)
            {
                case "version":
                    rows.Add(new ReportEntry(key, FieldOutcome.Dropped, "obsolete in the Compose specification; the fields are read the same way", at));
                    break;
                case "name":
                    rows.Add(new ReportEntry(key, FieldOutcome.Changed, "becomes the fleet `name` (app.kubernetes.io/part-of)", at));
                    break;
                case "services":
                    break;
                case "networks":
                    rows.Add(new ReportEntry(key, FieldOutcome.Dropped, "Kubernetes has one pod network; a NetworkPolicy per server admits MCP peers, the callers and its dependencies, and DNS", at));
                    break;
                case "volumes":
                    foreach (var (volume, value) in (node as ComposeMap)?.Entries ?? [])
                    {
                        rows.Add(new ReportEntry($"volumes.{volume}", FieldOutcome.Dropped, "named volumes are not supported for MCP servers (stateless Deployments); see the services that mount it", value.Location));
                    }

                    break;
                case "secrets":
                    foreach (var (secret, value) in (node as ComposeMap)?.Entries ?? [])
                    {
                        var external = (value as ComposeMap)?.Text("external") is "true" or "True";
                        rows.Add(new ReportEntry($"secrets.{secret}", FieldOutcome.Changed, external ? "external secret: each service that uses it gets an ExternalSecret entry" : "each service that uses it gets an ExternalSecret entry; the file is not read, so put its content in the secret store", value.Location));
                    }

                    break;
                case "configs":
                    rows.Add(new ReportEntry(key, FieldOutcome.Dropped, $"config files are not mounted; a server gets {RuntimeContract.ConfigPath} from its ConfigMap (see the services that use them)", at));
                    break;
                default:
                    rows.Add(new ReportEntry(key, FieldOutcome.Dropped, s_topLevelKeys.Contains(key) ? "not supported by the importer; merge the included files by passing them in order" : "not a Compose top-level field", at, true));
                    break;
            }
        }

        foreach (var group in interpolator.Unset.GroupBy(u => u.Name).Where(g => CredentialClassifier.NameWord(g.Key) is null))
        {
            var first = group.First();
            rows.Add(new ReportEntry($"${{{group.Key}}}", FieldOutcome.Changed, $"not set in the env file and no default: replaced by an empty string, as Compose does ({group.Count()} use{(group.Count() == 1 ? "" : "s")})", first.Location, true));
        }

        return rows;
    }
}
