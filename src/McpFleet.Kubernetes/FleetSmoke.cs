using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpFleet.Kubernetes;

/// <summary>One server's smoke result.</summary>
/// <param name="Server">The server name.</param>
/// <param name="ReadyStatus">The HTTP status of <c>GET /ready</c>, or null when it could not be reached.</param>
/// <param name="ToolsListed">The tools that <c>tools/list</c> returned, or null when the MCP exchange failed.</param>
/// <param name="ToolsExpected">The <c>tools</c> of the server's <c>server-config.json</c>, or null when unknown.</param>
/// <param name="Error">What failed, or null.</param>
public sealed record SmokeResult(string Server, int? ReadyStatus, int? ToolsListed, int? ToolsExpected, string? Error)
{
    /// <summary>Gets what was checked instead of the tool count, when it could not be counted by design, or null.</summary>
    public string? Note { get; init; }

    /// <summary>Gets a value indicating whether <c>/ready</c> is 200 and the tool count matches (or <see cref="Note"/> says why it has none).</summary>
    public bool Ok => Error is null && ReadyStatus == 200 && (Note is not null || (ToolsListed is not null && ToolsListed == ToolsExpected));

    /// <summary>Describes the result in words: what failed, or <c>ok</c> (with the note).</summary>
    /// <returns>The description.</returns>
    public string Describe() =>
        Error ?? (ReadyStatus != 200 ? $"/ready answered {ReadyStatus}"
            : Note is not null ? $"ok ({Note})"
            : ToolsListed != ToolsExpected ? $"tools/list returned {ToolsListed} tools, server-config.json says {ToolsExpected}"
            : "ok");
}

/// <summary>
/// Checks each server through the API server's service proxy: <c>GET /ready</c>, MCP <c>initialize</c> +
/// <c>tools/list</c>, and the tool count against <c>tools</c> in the server's ConfigMap.
/// </summary>
/// <param name="cluster">The cluster.</param>
/// <param name="timeProvider">The clock of the gateway's settle wait; <see cref="TimeProvider.System"/> when null.</param>
public sealed class FleetSmoke(IFleetCluster cluster, TimeProvider? timeProvider = null)
{
    /// <summary>
    /// The environment variable that holds a caller's credential (API key or JWT) for a gateway with <c>auth</c>, for
    /// <c>smoke --local</c>. Through the API server's service proxy no credential reaches the gateway: the API server
    /// takes the <c>Authorization</c> header as its own and removes it.
    /// </summary>
    public const string GatewayTokenVariable = "MCPFLEET_GATEWAY_TOKEN";

    /// <summary>What a gateway with <c>auth</c> shows when smoke has no credential for it.</summary>
    internal const string AuthNote =
        "auth on: it refused an anonymous tools/list with 401; its federated list needs a caller's credential, which only smoke --local can send (" + GatewayTokenVariable + ")";

    /// <summary>Smoke-checks <paramref name="servers"/>.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="servers">The servers.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>One result per server, in order.</returns>
    public async Task<IReadOnlyList<SmokeResult>> CheckAsync(string ns, IEnumerable<ServerManifest> servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var results = new List<SmokeResult>();
        foreach (var server in servers)
        {
            var service = server.ObjectName;
            Task<HttpResponseMessage> Send(HttpRequestMessage r, CancellationToken ct) =>
                cluster.ProxyAsync(ns, service, RuntimeContract.McpPortName, r, ct);
            if (server.Fronts is { } fronts)
            {
                var ready = await ReadyFrontsAsync(ns, fronts, cancellationToken).ConfigureAwait(false);
                results.AddRange(await CheckGatewayAsync(server.Name, server.ReadyPath, Send, ready, cancellationToken, timeProvider).ConfigureAwait(false));
                continue;
            }

            var expected = await ExpectedToolsAsync(ns, service, cancellationToken).ConfigureAwait(false);
            results.Add(await CheckOneAsync(server.Name, server.ReadyPath, Send, expected, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Smoke-checks one server through <paramref name="send"/>: its readiness path, then MCP <c>tools/list</c>.</summary>
    /// <param name="server">The server name.</param>
    /// <param name="readyPath">The server's readiness path (<c>probes.readyPath</c>, else <c>/ready</c>).</param>
    /// <param name="send">Sends a request relative to the server's root.</param>
    /// <param name="expectedTools">The expected tool count, or null when unknown.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    public static async Task<SmokeResult> CheckOneAsync(
        string server, string readyPath, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, int? expectedTools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        int? ready;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(readyPath.TrimStart('/'), UriKind.Relative));
            using var response = await send(request, cancellationToken).ConfigureAwait(false);
            ready = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            return new SmokeResult(server, null, null, expectedTools, $"{readyPath}: {e.Message}");
        }

        try
        {
            var tools = await new McpProbe(send).ListToolsAsync(RuntimeContract.McpPath.TrimStart('/'), cancellationToken).ConfigureAwait(false);
            var error = expectedTools is null ? "server-config.json has no 'tools' (is the ConfigMap there?)" : null;
            return new SmokeResult(server, ready, tools.Count, expectedTools, error);
        }
        catch (Exception e) when (e is McpProbeException or HttpRequestException)
        {
            return new SmokeResult(server, ready, null, expectedTools, e.Message);
        }
    }

    /// <summary>How long the gateway's list may take to hold every ready fronted server's tools after it is ready.</summary>
    public static readonly TimeSpan GatewaySettleTime = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Smoke-checks the fleet's gateway through <paramref name="send"/>: its readiness path and one <c>tools/list</c>,
    /// then, per fronted server that is ready, that the list holds its tools (by prefix). One row for the gateway
    /// (its tool count) and one per server, <c>&lt;gateway&gt;/&lt;server&gt;</c>, with the tools it contributes.
    /// </summary>
    /// <param name="gateway">The gateway's name.</param>
    /// <param name="readyPath">Its readiness path.</param>
    /// <param name="send">Sends a request relative to the gateway's root.</param>
    /// <param name="fronts">The fronted servers that are ready (a server that is not fails its own check).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <param name="timeProvider">The clock of the settle wait; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="bearerToken">A caller's credential for a gateway with <c>auth</c>, or null to ask as an anonymous caller.</param>
    /// <returns>The rows.</returns>
    /// <remarks>
    /// The gateway is ready before it has read every upstream's lists (its readiness is its own, by design), so a
    /// server missing from the list is asked again every 500 ms for up to <see cref="GatewaySettleTime"/> before its row fails.
    /// A gateway with <c>auth</c> asked anonymously must refuse with 401: that is its one row, ok with <see cref="AuthNote"/>.
    /// </remarks>
    public static async Task<IReadOnlyList<SmokeResult>> CheckGatewayAsync(
        string gateway, string readyPath, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, IReadOnlyList<GatewayRoute> fronts,
        CancellationToken cancellationToken, TimeProvider? timeProvider = null, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(fronts);
        var anonymous = string.IsNullOrEmpty(bearerToken);
        var sendMcp = anonymous ? send : (request, ct) =>
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
            return send(request, ct);
        };
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        int ready;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(readyPath.TrimStart('/'), UriKind.Relative));
            using var response = await send(request, cancellationToken).ConfigureAwait(false);
            ready = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            return [new SmokeResult(gateway, null, null, null, $"{readyPath}: {e.Message}")];
        }

        IReadOnlyList<string> tools;
        while (true)
        {
            try
            {
                tools = await new McpProbe(sendMcp).ListToolsAsync(RuntimeContract.McpPath.TrimStart('/'), cancellationToken).ConfigureAwait(false);
            }
            catch (McpProbeException e) when (e.HttpStatus == 401)
            {
                return [anonymous
                    ? new SmokeResult(gateway, ready, null, null, null) { Note = AuthNote }
                    : new SmokeResult(gateway, ready, null, null, $"it refused the credential in {GatewayTokenVariable} (401): is it a caller's key or a JWT it accepts?")];
            }
            catch (Exception e) when (e is McpProbeException or HttpRequestException)
            {
                return [new SmokeResult(gateway, ready, null, null, e.Message)];
            }

            var listed = tools;
            if (fronts.All(f => f.Prefix.Length == 0 || listed.Any(t => t.StartsWith(f.Prefix + "_", StringComparison.Ordinal)))
                || time.GetElapsedTime(started) >= GatewaySettleTime)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken).ConfigureAwait(false);
        }

        var results = new List<SmokeResult>(1 + fronts.Count) { new(gateway, ready, tools.Count, tools.Count, null) };
        foreach (var front in fronts.Where(f => f.Prefix.Length > 0))
        {
            // Names are <prefix>_<tool>: a prefix holds no '_', so the first one ends it.
            var count = tools.Count(t => t.StartsWith(front.Prefix + "_", StringComparison.Ordinal));
            results.Add(new SmokeResult($"{gateway}/{front.Server}", ready, count, count > 0 ? count : null,
                count > 0 ? null : $"the gateway lists no tool of {front.Server} (none named {front.Prefix}_…)"));
        }

        return results;
    }

    private async Task<IReadOnlyList<GatewayRoute>> ReadyFrontsAsync(string ns, IReadOnlyList<GatewayRoute> fronts, CancellationToken cancellationToken)
    {
        var ready = new List<GatewayRoute>(fronts.Count);
        foreach (var front in fronts)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(front.ReadyPath.TrimStart('/'), UriKind.Relative));
                using var response = await cluster.ProxyAsync(ns, RuntimeContract.Labels.NamePrefix + front.Server, RuntimeContract.McpPortName, request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    ready.Add(front);
                }
            }
            catch (HttpRequestException)
            {
                // Not reachable: not ready, and its own check says so.
            }
        }

        return ready;
    }

    private async Task<int?> ExpectedToolsAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var configMap = await cluster.ReadConfigMapAsync(ns, service + "-config", cancellationToken).ConfigureAwait(false);
        return configMap?.Data is { } data && data.TryGetValue(RuntimeContract.ConfigFileName, out var json) ? ToolsOf(json) : null;
    }

    /// <summary>Reads <c>tools</c> from a <c>server-config.json</c> text.</summary>
    /// <param name="json">The text.</param>
    /// <returns>The count, or null when absent or not JSON.</returns>
    public static int? ToolsOf(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["tools"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
