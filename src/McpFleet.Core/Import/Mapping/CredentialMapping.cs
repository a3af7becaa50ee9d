using McpFleet.Credentials;
using McpFleet.Diagnostics;

namespace McpFleet.Import.Mapping;

/// <summary>
/// Credentials: why a value is one (the shared <see cref="CredentialClassifier"/> plus what only the import sees:
/// interpolated variables and the env file), moving it to a secret, and Compose <c>secrets</c>.
/// </summary>
internal static class CredentialMapping
{
    /// <summary>
    /// Why an env var is a credential, unless its value is a boolean or a small integer: its name; a credential-named
    /// variable it interpolates (whatever the env file holds now, the deployed value is a credential, so even an empty
    /// one counts); its value; or a value that comes from the env file (which holds deployment values: when unsure, a
    /// secret).
    /// </summary>
    /// <param name="context">What the import shares (the env file).</param>
    /// <param name="name">The env var name.</param>
    /// <param name="value">Its value after interpolation, or <see langword="null"/>.</param>
    /// <param name="variables">The variables it interpolates.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? Reason(ImportContext context, string name, string? value, IReadOnlyList<string> variables)
    {
        if (value is { Length: > 0 } && CredentialClassifier.IsInert(value))
        {
            return null;
        }

        if (CredentialClassifier.NameWord(name) is { } word)
        {
            return $"the name contains {word}";
        }

        if (variables.FirstOrDefault(v => CredentialClassifier.NameWord(v) is not null) is { } secretVariable)
        {
            return $"it interpolates ${{{secretVariable}}}";
        }

        if (value is null || CredentialClassifier.IsInert(value))
        {
            return null;
        }

        return CredentialClassifier.Classify(name, value)?.Reason
            ?? (variables.FirstOrDefault(context.FromEnvFile) is { } fromEnvFile ? $"its value comes from the env file (${{{fromEnvFile}}})" : null);
    }

    /// <summary>Why a variable interpolated into a command word must not appear as its value, or <see langword="null"/>.</summary>
    /// <param name="context">What the import shares (the env file).</param>
    /// <param name="name">The variable.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? VariableReason(ImportContext context, string name) =>
        CredentialClassifier.NameWord(name) is { } word ? $"the name contains {word}"
        : context.FromEnvFile(name) ? "its value comes from the env file"
        : null;

    /// <summary>Adds a secret to the draft (once per name) and removes an env var of that name.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="name">The env var the ExternalSecret fills.</param>
    /// <param name="reason">Why (never the value).</param>
    /// <param name="location">Where it was written.</param>
    /// <returns>The remoteRef.</returns>
    public static string AddSecret(ServiceMapping mapping, string name, string reason, SourceLocation location)
    {
        var draft = mapping.Draft;
        var remoteRef = $"{mapping.Context.SecretPrefix}.{draft.Name}.{name.ToLowerInvariant()}";
        draft.Env.RemoveAll(e => e.Key == name);
        if (!draft.Secrets.Exists(s => s.Variable == name))
        {
            draft.Secrets.Add(new MovedSecret(draft.Name, name, remoteRef, reason, location));
        }

        return remoteRef;
    }

    /// <summary>Makes an env var name: upper case, <c>_</c> for anything else, a leading <c>_</c> before a digit.</summary>
    /// <param name="name">A variable, file or secret name.</param>
    /// <returns>The env var name.</returns>
    public static string EnvName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray();
        var result = new string(chars);
        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    /// <summary>Maps the service's <c>secrets</c>: each becomes a secret env var filled by the ExternalSecret.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The <c>secrets</c> value.</param>
    public static void MapSecrets(ServiceMapping mapping, ComposeNode node)
    {
        if (node is not ComposeSequence list)
        {
            mapping.Report("secrets", FieldOutcome.Dropped, "not a list", node.Location, true);
            return;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var source = item is ComposeMap m ? m.Text("source") : (item as ComposeScalar)?.Value;
            var target = item is ComposeMap t ? t.Text("target") : null;
            if (source is null)
            {
                mapping.Report($"secrets[{i}]", FieldOutcome.Dropped, "no source", item.Location, true);
                continue;
            }

            var declared = mapping.Context.TopSecrets?.Get(source) as ComposeMap;
            var origin = declared is null ? "not declared under the top-level `secrets`"
                : declared.Text("external") is "true" or "True" ? "external secret" + (declared.Text("name") is { } n ? $" `{n}`" : "")
                : declared.Text("file") is { } file ? $"file secret from `{file}` (the file is not read)"
                : declared.Text("environment") is { } env ? $"secret from the variable {env}"
                : "secret";
            var name = EnvName(Path.GetFileName(target ?? source));
            var remoteRef = AddSecret(mapping, name, $"Compose secret `{source}`", item.Location);
            mapping.Report(
                $"secrets[{i}]",
                FieldOutcome.Changed,
                $"{origin}: becomes secret {name} with remoteRef `{remoteRef}`; it was the file /run/secrets/{target ?? source} and is now an env var, so the server must read {name}",
                item.Location,
                attention: true);
        }
    }
}
