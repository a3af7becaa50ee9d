using McpFleet.Credentials;
using McpFleet.Diagnostics;
using McpFleet.Spec.Validation;

namespace McpFleet.Import.Mapping;

/// <summary>
/// <c>environment</c> and <c>env_file</c>: each variable becomes env, a secret, the fleet's <c>environment</c>, or is
/// dropped, with Compose's precedence (<c>environment</c> over <c>env_file</c>, later files over earlier).
/// </summary>
internal static class EnvironmentMapping
{
    /// <summary>Maps <c>env_file</c> then <c>environment</c> of <paramref name="service"/> (once, whichever key comes first).</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="service">The service.</param>
    public static void Map(ServiceMapping mapping, ComposeMap service)
    {
        var context = mapping.Context;
        var inputs = new List<(string Name, ComposeScalar? Value, string Field)>();
        if (service.Get("env_file") is { } envFiles)
        {
            foreach (var (path, required, location) in EnvFilePaths(envFiles))
            {
                var full = context.ResolveRelative(location.File, path);
                if (!File.Exists(full))
                {
                    if (!required)
                    {
                        mapping.Report("env_file", FieldOutcome.Dropped, $"optional env file `{path}` does not exist", location);
                    }
                    else if (Path.IsPathRooted(path) && !Directory.Exists(full))
                    {
                        // A Swarm stack names files on its manager node (/etc/app/app.env): not here, and not needed to import.
                        mapping.Report("env_file", FieldOutcome.Dropped, $"{context.Quote(ComposeScalar.Of(location, path), path)} is a path on the Swarm host and does not exist here: skipped, so its variables are not imported; set them in `env` or as secrets", location, true);
                    }
                    else
                    {
                        context.Errors.Error(ImportCodes.Unreadable, location, Directory.Exists(full) ? $"env_file '{path}' is a directory, not a file" : $"env_file '{path}' not found");
                    }

                    continue;
                }

                var display = context.Display(full);
                if (ImportInputs.Read(full, display, context.Errors) is not { } envText)
                {
                    continue;
                }

                foreach (var entry in EnvFileParser.Parse(envText, display, context.Errors))
                {
                    ComposeScalar? value = null;
                    if (entry.Value is not null)
                    {
                        var result = context.Interpolator.Expand(entry.Value, entry.Location);
                        value = new ComposeScalar(entry.Location, result.Value, result.Variables) { Raw = entry.Value, Missing = result.Missing };
                    }

                    inputs.RemoveAll(x => x.Name == entry.Name);
                    inputs.Add((entry.Name, value ?? ComposeScalar.Of(entry.Location, null), $"env_file({path}).{entry.Name}"));
                }
            }
        }

        if (service.Get("environment") is { } environment)
        {
            foreach (var (name, node) in ComposeMerger.AsKeyed(environment).Entries)
            {
                inputs.RemoveAll(x => x.Name == name);
                inputs.Add((name, node as ComposeScalar ?? ComposeScalar.Of(node.Location, null), "environment." + name));
            }
        }

        foreach (var (name, value, _) in inputs)
        {
            mapping.EnvValues[name] = value?.Value;
        }

        foreach (var (name, value, field) in inputs)
        {
            MapVariable(mapping, name, value!, field);
        }
    }

    private static IEnumerable<(string Path, bool Required, SourceLocation Location)> EnvFilePaths(ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [node];
        foreach (var item in items)
        {
            if (item is ComposeScalar { Value: { } path })
            {
                yield return (path, true, item.Location);
            }
            else if (item is ComposeMap map && map.Text("path") is { } p)
            {
                yield return (p, map.Text("required") is not ("false" or "False"), item.Location);
            }
        }
    }

    private static void MapVariable(ServiceMapping mapping, string name, ComposeScalar scalar, string field)
    {
        var context = mapping.Context;
        var draft = mapping.Draft;
        var location = scalar.Location;
        var value = scalar.Value;
        var variables = scalar.Variables;
        if (value is null)
        {
            // Compose takes a bare KEY from the environment of `docker compose`; the import reads only the env file.
            if (context.Interpolator.Variables.TryGetValue(name, out var fromEnvFile))
            {
                value = fromEnvFile;
                variables = [name];
            }
        }

        var reason = CredentialMapping.Reason(context, name, value, variables);
        foreach (var missing in scalar.Missing)
        {
            if (reason is not null)
            {
                draft.SecretOnlyRequired.Add(missing);
            }
            else if (field.StartsWith("env_file(", StringComparison.Ordinal))
            {
                // Env file values are not in the Compose tree that the run checks afterwards.
                context.Errors.Add(missing.Error);
            }
        }

        if (name.EndsWith("_FILE", StringComparison.Ordinal) && value?.StartsWith("/run/secrets/", StringComparison.Ordinal) == true)
        {
            mapping.Report(field, FieldOutcome.Dropped, "points at a Docker secret file; secrets arrive as env vars (see `secrets`), so the server must read the variable instead", location, true);
            return;
        }

        if (name == RuntimeContract.EnvironmentVariables.Environment)
        {
            if (value is not null && CredentialClassifier.ValueReason(value) is not null)
            {
                mapping.Report(field, FieldOutcome.Dropped, "the value looks like a credential, so it does not become the fleet's `environment` (left at its default)", location, true);
                return;
            }

            context.Environments.Add((value ?? "", location));
            mapping.Report(field, FieldOutcome.Changed, "becomes the fleet's `environment`", location);
            return;
        }

        // Variables McpFleet or the device plugin sets are dropped whatever they hold: their values go nowhere. A Compose
        // file's own *_MCP_URL names a Compose service; dependsOn gives the fleet's URL instead.
        if (RuntimeContract.EnvironmentVariables.IsSetByMcpFleet(name) || name.EndsWith(RuntimeContract.EnvironmentVariables.DependencyUrlSuffix, StringComparison.Ordinal))
        {
            mapping.Report(field, FieldOutcome.Dropped, "McpFleet sets this variable itself (runtime contract)", location);
            return;
        }

        if (name is "NVIDIA_VISIBLE_DEVICES" or "NVIDIA_DRIVER_CAPABILITIES")
        {
            mapping.Report(field, FieldOutcome.Dropped, "the NVIDIA device plugin sets it for the GPUs it allocates", location);
            return;
        }

        if (reason is not null)
        {
            // The app reads the variable by its name, so it keeps it when it is a valid env var name.
            var secretName = SpecText.IsEnvName(name) ? name : CredentialMapping.EnvName(name);
            var remoteRef = CredentialMapping.AddSecret(mapping, secretName, reason, location);
            mapping.Report(field, FieldOutcome.Changed, $"credential ({reason}): moved to secret {secretName} with remoteRef `{remoteRef}`; put its value in the secret store", location, true);
            if (value is not null)
            {
                // The host of a credential URL (a webhook) is not itself secret; the server still has to reach it.
                EgressMapping.Note(mapping, field, name, value, location);
            }

            return;
        }

        if (value?.Contains("docker.sock", StringComparison.Ordinal) == true)
        {
            mapping.Report(field, FieldOutcome.Refused, "points at the Docker daemon socket, which is not mounted (see `volumes`)", location, true);
            return;
        }

        if (!SpecText.IsEnvName(name))
        {
            mapping.Report(field, FieldOutcome.Dropped, "not a valid env var name ([A-Za-z_][A-Za-z0-9_]*), which the fleet spec requires", location, true);
            return;
        }

        if (value is null)
        {
            mapping.Report(field, FieldOutcome.Dropped, "no value (Compose would take it from the shell); set it in `env` or as a secret", location, true);
            return;
        }

        draft.SetEnv(name, value);
        mapping.Report(field, FieldOutcome.Mapped, "env", location);
        EgressMapping.Note(mapping, field, name, value, location);
    }
}
