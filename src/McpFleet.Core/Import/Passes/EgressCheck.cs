namespace McpFleet.Import.Passes;

/// <summary>The servers that declare no outside host, which the fleet's NetworkPolicy would cut off.</summary>
internal static class EgressCheck
{
    /// <summary>
    /// Says so when a server declares no outside host: on Compose it could reach anything, in the fleet its
    /// NetworkPolicy lets it reach only DNS and its dependencies, so every call out would time out.
    /// </summary>
    /// <param name="servers">The servers, with their dependencies resolved.</param>
    public static void NoteMissing(IEnumerable<ServerDraft> servers)
    {
        foreach (var server in servers.Where(s => s.Egress.Count == 0))
        {
            var dependencies = server.Dependencies.Count == 0 ? "it has none" : string.Join(", ", server.Dependencies);
            server.Report("(egress)", FieldOutcome.Changed, $"no outbound host found: this server can reach only DNS and its dependencies ({dependencies}); if it calls an API, add `egress: [{{host, ports}}]` to its values file", server.Location, true);
        }
    }
}
