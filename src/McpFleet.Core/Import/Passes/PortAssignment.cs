using System.Globalization;
using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Spec;

namespace McpFleet.Import.Passes;

/// <summary>The MCP port of every server, unique in the fleet's range; a remap reaches env and the command line.</summary>
internal static class PortAssignment
{
    /// <summary>
    /// Gives each server an MCP port in <paramref name="range"/>: its container port when that is in the range and
    /// free, else the lowest free one (⚠, with the old port rewritten in env and the command line). The metrics port is
    /// never an MCP port.
    /// </summary>
    /// <param name="servers">The servers, with their container ports.</param>
    /// <param name="range">The fleet's MCP port range.</param>
    /// <param name="errors">Receives MCI010 when the range is too small.</param>
    public static void Assign(List<ServerDraft> servers, PortRange range, DiagnosticBag errors)
    {
        var used = new HashSet<int> { RuntimeContract.DefaultMetricsPort };
        foreach (var server in servers)
        {
            if (server.ContainerPort is { } cp && range.Contains(cp.Port) && used.Add(cp.Port))
            {
                server.Port = cp.Port;
                server.Report(cp.Field, FieldOutcome.Mapped, $"MCP port {cp.Port}{Chosen(server)}", cp.Location);
            }
        }

        foreach (var server in servers.Where(s => s.Port == 0))
        {
            var port = Enumerable.Range(range.Min, range.Max - range.Min + 1).FirstOrDefault(p => !used.Contains(p));
            if (port == 0)
            {
                var free = range.Max - range.Min + 1 - (range.Contains(RuntimeContract.DefaultMetricsPort) ? 1 : 0);
                errors.Error(ImportCodes.PortRangeFull, server.Location, $"{servers.Count} MCP servers but only {free} ports in {range.Min}-{range.Max}: widen the range with --ports MIN-MAX, leave services out with --exclude SERVICE, or enable fewer profiles (--profile)");
                return;
            }

            used.Add(port);
            server.Port = port;
            var listen = $"the server must listen on {RuntimeContract.EnvironmentVariables.ServerPort} ({port})";
            if (server.ContainerPort is { } cp)
            {
                var why = cp.Port == RuntimeContract.DefaultMetricsPort ? "the metrics port of every pod"
                    : range.Contains(cp.Port) ? "taken by another server"
                    : $"outside the fleet range {range.Min}-{range.Max}";
                server.Report(cp.Field, FieldOutcome.Changed, $"container port {cp.Port}{Chosen(server)} is {why}: remapped to MCP port {port}; {listen}", cp.Location, true);
                RewritePortEnv(server, cp.Port);
                RewritePortWords(server, cp.Port);
            }
            else
            {
                server.Report("ports", FieldOutcome.Changed, $"no `ports` or `expose`: assigned MCP port {port}; {listen}", server.Location, true);
            }
        }
    }

    private static string Chosen(ServerDraft server) => server.McpPortChoice is { } why ? $" (the MCP port: {why})" : "";

    /// <summary>
    /// Rewrites the old container port in the command line (<c>--port 8383</c>, <c>--sse-port=8383</c>,
    /// <c>0.0.0.0:8383</c>), so the server listens where it is probed; any other mention is a ⚠ row.
    /// </summary>
    private static void RewritePortWords(ServerDraft server, int oldPort)
    {
        server.Command = Rewrite(server.Command, "entrypoint");
        server.Args = Rewrite(server.Args, "command");

        IReadOnlyList<string>? Rewrite(IReadOnlyList<string>? words, string key)
        {
            if (words is null)
            {
                return null;
            }

            var result = words.ToList();
            for (var i = 0; i < result.Count; i++)
            {
                var (word, rewritten, doubtful) = PortWords.Rewrite(i > 0 ? words[i - 1] : "", words[i], oldPort, server.Port);
                result[i] = word;
                if (rewritten)
                {
                    server.Report($"{key}[{i}]", FieldOutcome.Changed, $"named the old container port {oldPort}: now the MCP port {server.Port}", server.Location);
                }

                if (doubtful)
                {
                    server.Report($"{key}[{i}]", FieldOutcome.Changed, $"holds the number {oldPort}, the old container port, where it may not be a port: left as it is; check that the server listens on {RuntimeContract.EnvironmentVariables.ServerPort} ({server.Port})", server.Location, true);
                }
            }

            return result;
        }
    }

    private static void RewritePortEnv(ServerDraft server, int oldPort)
    {
        var old = oldPort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in server.Env.ToList())
        {
            if ((key == "PORT" || key.EndsWith("_PORT", StringComparison.Ordinal)) && value == old)
            {
                server.SetEnv(key, server.Port.ToString(CultureInfo.InvariantCulture));
                server.Report($"environment.{key}", FieldOutcome.Changed, $"was the container port {old}: set to the MCP port {server.Port}", server.Location);
            }
        }
    }
}
