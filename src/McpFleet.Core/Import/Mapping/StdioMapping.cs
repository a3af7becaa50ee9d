using McpFleet.Spec;

namespace McpFleet.Import.Mapping;

/// <summary>
/// A service that is a stdio MCP server (no port published or exposed, and a stdio server's command, or
/// <c>stdin_open: true</c>) becomes <c>transport: stdio</c> with its command, so it runs under <c>mcpfleet-proxy</c>.
/// </summary>
internal static class StdioMapping
{
    /// <summary>Decides the transport of <paramref name="draft"/> once all its fields are read.</summary>
    /// <param name="draft">The server being imported.</param>
    public static void Map(ServerDraft draft)
    {
        var words = StdioCommands.Words([.. draft.Command ?? [], .. draft.Args ?? []]);
        var looksStdio = StdioCommands.LooksLikeStdioServer(words);
        if (draft.ContainerPort is not null || !(looksStdio || draft.StdinOpen is not null))
        {
            if (draft.StdinOpen is { } ignored)
            {
                draft.Report("stdin_open", FieldOutcome.Dropped, "no stdin in a pod; the service publishes a port, so it is taken for an HTTP server", ignored);
            }

            return;
        }

        var at = draft.StdinOpen ?? draft.Location;
        if (words.Count == 0)
        {
            draft.Report("stdin_open", FieldOutcome.Dropped,
                "stdin_open with no ports looks like a stdio MCP server, but Compose names no command (the image's own is unknown here): write `transport: stdio` and `command:` in the values file to run it under mcpfleet-proxy",
                at, attention: true);
            return;
        }

        draft.Transport = ServerTransport.Stdio;
        if (draft.Command is null)
        {
            // Compose's `command` replaced the image's CMD; under the proxy it is the whole command (node and python
            // images have no entrypoint of their own beyond an exec shim).
            draft.Command = draft.Args;
            draft.Args = null;
        }

        // The proxy serves the contract's probe paths whatever a Compose healthcheck said.
        if (draft.Probes is { } probes && (probes.HealthPath ?? probes.ReadyPath) is not null)
        {
            draft.Probes = probes with { HealthPath = null, ReadyPath = null };
        }

        var why = looksStdio ? $"its command starts a stdio MCP server (`{string.Join(' ', words.Take(4))}`)" : "stdin_open: true";
        draft.Report("transport", FieldOutcome.Changed,
            $"a stdio MCP server ({why}, no port published or exposed): `transport: stdio`, run under mcpfleet-proxy, which serves its port, probes and metrics",
            at);
        if (StdioCommands.RuntimeFetch(words) is { } fetch)
        {
            draft.Report("command", FieldOutcome.Changed,
                $"`{fetch}` fetches the server from the registry at every start: bake the package into the image and run its executable (lint MCP043)",
                at, attention: true);
        }
    }
}
