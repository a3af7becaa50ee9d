namespace McpFleet.Import.Passes;

/// <summary>Env vars that every server sets to the same value move to the fleet's <c>env</c>, written once.</summary>
internal static class EnvHoisting
{
    /// <summary>
    /// Moves env vars that every server sets to the same value (typically from an <c>x-</c> anchor) to the fleet's
    /// <c>env</c>, so they are written once; their rows say so.
    /// </summary>
    /// <param name="drafts">The servers.</param>
    /// <returns>The fleet env.</returns>
    public static SortedDictionary<string, string> Hoist(List<ServerDraft> drafts)
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
}
