namespace McpFleet.Import.Passes;

/// <summary><c>depends_on</c> between imported servers: <c>dependsOn</c>, and the rollout phases it implies.</summary>
internal static class DependencyPhases
{
    /// <summary>
    /// Keeps the dependencies that are imported servers (a row for each, ⚠ for one that is not imported) and sets each
    /// server's phase: its dependency level, so phase 1 has no dependencies and phase n depends on phase n-1 at most.
    /// </summary>
    /// <param name="servers">The servers, mapped.</param>
    /// <param name="notImported">Why each service left out is, by service name.</param>
    public static void Resolve(List<ServerDraft> servers, IReadOnlyDictionary<string, string> notImported)
    {
        var byService = servers.ToDictionary(s => s.Service, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            foreach (var (service, condition, location) in server.DependsOn)
            {
                var field = $"depends_on.{service}";
                if (!byService.TryGetValue(service, out var target))
                {
                    var why = notImported.GetValueOrDefault(service, "not an MCP server");
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

        // Service checks rejected every depends_on cycle (MCI009) before this pass, so the recursion ends.
        var byName = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            Level(server);
        }

        int Level(ServerDraft server)
        {
            if (server.Phase == 0)
            {
                server.Phase = 1 + server.Dependencies.Select(d => Level(byName[d])).DefaultIfEmpty(0).Max();
            }

            return server.Phase;
        }
    }
}
