using McpFleet.Diagnostics;

namespace McpFleet.Import.Passes;

/// <summary>The required variables (<c>${VAR:?}</c>) without a value: fatal where the import needs the value.</summary>
internal static class RequiredVariables
{
    /// <summary>
    /// Reports each <c>${VAR:?}</c> without a value (MCI006), except where it feeds only a secret of the server that
    /// uses it: the value goes to the secret store, so the import does not need it (a ⚠ row says so). Services that
    /// are not imported are not checked.
    /// </summary>
    /// <param name="merged">The merged Compose files.</param>
    /// <param name="drafts">The mapped servers with their services.</param>
    /// <param name="errors">Receives MCI006.</param>
    public static void Check(ComposeMap merged, IEnumerable<(ServerDraft Draft, ComposeMap Service)> drafts, DiagnosticBag errors)
    {
        var reported = new HashSet<MissingRequired>();
        foreach (var (key, node) in merged.Entries.Where(e => e.Key != "services" && !e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            foreach (var missing in ComposeNode.Scalars(node).SelectMany(s => s.Missing).Where(reported.Add))
            {
                errors.Add(missing.Error);
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
                        errors.Add(missing.Error);
                    }
                }
            }
        }
    }
}
