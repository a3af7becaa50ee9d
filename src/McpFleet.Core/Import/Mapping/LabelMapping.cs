using McpFleet.Credentials;

namespace McpFleet.Import.Mapping;

/// <summary><c>labels</c> and <c>deploy.labels</c>: valid workload labels are kept, credentials and tool metadata are not.</summary>
internal static class LabelMapping
{
    /// <summary>Maps the labels of <paramref name="node"/> (list or map form).</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field, <c>labels</c> or <c>deploy.labels</c>.</param>
    /// <param name="node">The value.</param>
    public static void Map(ServiceMapping mapping, string field, ComposeNode node)
    {
        foreach (var (key, value) in ComposeMerger.AsKeyed(node).Entries)
        {
            var text = (value as ComposeScalar)?.Text ?? "";
            var labelField = $"{field}.{key}";
            var (keep, why) = ComposeFieldNotes.JudgeLabel(key, text);
            if (CredentialClassifier.Classify(key, text) is not null || (value as ComposeScalar)?.Variables.Any(mapping.Context.FromEnvFile) == true && !CredentialClassifier.IsInert(text))
            {
                mapping.Report(labelField, FieldOutcome.Dropped, "looks like a credential, or comes from the env file; labels are public, so it is not kept", value.Location, true);
            }
            else if (key is "description" or "org.opencontainers.image.description" && text.Length > 0)
            {
                mapping.Draft.Description = text;
                mapping.Report(labelField, FieldOutcome.Changed, "becomes the server's `description`", value.Location);
            }
            else if (keep)
            {
                mapping.Draft.Labels[key] = text;
                mapping.Report(labelField, FieldOutcome.Mapped, "label on every object of the server", value.Location);
            }
            else
            {
                mapping.Report(labelField, FieldOutcome.Dropped, why, value.Location);
            }
        }
    }
}
