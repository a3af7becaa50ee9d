using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Import.Mapping;

/// <summary>
/// <c>entrypoint</c> and <c>command</c>: the container command and args, with every credential in them replaced by a
/// <c>$(NAME)</c> reference to a secret, and reported only as a shape.
/// </summary>
internal static class CommandMapping
{
    /// <summary>Maps <c>entrypoint</c> (target <c>command</c>) or <c>command</c> (target <c>args</c>).</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="key">The Compose key.</param>
    /// <param name="node">Its value: a list, or a string split into words as Compose does.</param>
    /// <param name="target">The container field it becomes.</param>
    /// <returns>The words, without a credential.</returns>
    public static List<string> Map(ServiceMapping mapping, string key, ComposeNode node, string target)
    {
        var words = new List<string>();
        var placeholder = target.ToUpperInvariant();
        var scalars = node is ComposeSequence s ? s.Items.OfType<ComposeScalar>().ToList() : node is ComposeScalar one ? [one] : [];
        var secretVariables = new List<(string Name, string Why)>();
        var redacted = 0;
        foreach (var scalar in scalars)
        {
            // Credential variables become $(VAR), which Kubernetes expands from the env var the ExternalSecret fills.
            var text = scalar.Raw is null ? scalar.Text : mapping.Context.Interpolator.Reinterpolate(scalar.Raw, scalar.Location, name =>
            {
                if (CredentialMapping.VariableReason(mapping.Context, name) is not { } why)
                {
                    return null;
                }

                secretVariables.Add((name, why));
                mapping.Draft.SecretOnlyRequired.UnionWith(scalar.Missing.Where(m => m.Name == name));
                return $"$({CredentialMapping.EnvName(name)})";
            });
            var split = node is ComposeSequence ? [text] : ComposeUnits.SplitShellWords(text);
            foreach (var word in split)
            {
                var index = words.Count;
                var secrets = CommandWords.FindSecrets(index > 0 ? words[^1] : "", word);
                if (secrets.Count == 0)
                {
                    words.Add(word);
                    continue;
                }

                redacted++;
                words.Add(CommandWords.Redact(word, secrets, (n, why) =>
                {
                    var name = n == 0 ? $"{placeholder}_{index}_SECRET" : $"{placeholder}_{index}_SECRET_{n + 1}";
                    var remoteRef = CredentialMapping.AddSecret(mapping, name, $"{key} word {index}: {why}", scalar.Location);
                    mapping.Report($"{key}[{index}]", FieldOutcome.Changed, $"credential ({why}): replaced by $({name}), a secret with remoteRef `{remoteRef}`", scalar.Location, true);
                    return $"$({name})";
                }));
            }
        }

        foreach (var (variable, why) in secretVariables.DistinctBy(v => v.Name))
        {
            var name = CredentialMapping.EnvName(variable);
            var remoteRef = CredentialMapping.AddSecret(mapping, name, $"{key} interpolates ${{{variable}}}", node.Location);
            mapping.Report($"{key}.${{{variable}}}", FieldOutcome.Changed, $"credential ({why}): ${{{variable}}} becomes $({name}), expanded by Kubernetes from a secret with remoteRef `{remoteRef}`", node.Location, true);
        }

        var unchanged = node is ComposeSequence && redacted == 0 && secretVariables.Count == 0;
        var shape = CommandWords.Shape(words, placeholder);
        mapping.Report(key, unchanged ? FieldOutcome.Mapped : FieldOutcome.Changed, $"container {target} ({words.Count} word{(words.Count == 1 ? "" : "s")}; values shown as $({placeholder}_n), see `{target}` in the values file): `{shape}`{(node is ComposeScalar ? " (split into words as Compose does)" : "")}", node.Location);
        return words;
    }
}
