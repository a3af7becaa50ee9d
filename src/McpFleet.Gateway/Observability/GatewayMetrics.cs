using System.Diagnostics;
using System.Diagnostics.Metrics;
using McpFleet.Upstreams;

namespace McpFleet.Gateway.Observability;

/// <summary>
/// The gateway's instruments (meter <see cref="MeterName"/>). Routed requests are <c>mcp.server.operation.duration</c>,
/// the series every McpFleet server records, with the upstream and the caller added; per-upstream state is observed at
/// scrape time. Every label value comes from the config or the catalog (tool names a client makes up are
/// <c>_OTHER</c>, unlisted JWT callers <c>_jwt</c>), so a client cannot create series.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "McpFleet.Gateway";

    /// <summary>The label of a name outside the known set.</summary>
    public const string Other = "_OTHER";

    private readonly Meter _meter;
    private readonly Histogram<double> _operations;
    private readonly Counter<long> _rejected;

    /// <summary>Initializes a new instance of the <see cref="GatewayMetrics"/> class.</summary>
    /// <param name="meterFactory">The meter factory.</param>
    /// <param name="federation">The upstreams, observed at scrape time.</param>
    public GatewayMetrics(IMeterFactory meterFactory, Federation.Federation federation)
    {
        _meter = meterFactory.Create(MeterName);
        _operations = _meter.CreateHistogram(
            "mcp.server.operation.duration",
            "s",
            "Duration of MCP requests the gateway routed to an upstream, by method, tool, upstream, caller and error type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _rejected = _meter.CreateCounter<long>("mcpfleet.gateway.requests.rejected", "{request}", "Requests the gateway refused itself, by reason (unauthorized, rate_limited, session, tool_not_allowed, upstream_down) and caller.");
        _meter.CreateObservableGauge("mcpfleet.gateway.upstream.up", () => Each(federation, static u => u.IsUp ? 1 : 0), "{upstream}", "1 while the upstream takes calls and its tools are listed.");
        _meter.CreateObservableGauge("mcpfleet.gateway.upstream.tools", () => Each(federation, static u => u.IsUp ? u.List(Federation.ListKind.Tools).Length : 0), "{tool}", "Tools the upstream contributes to the federated list now.");
        _meter.CreateObservableUpDownCounter("mcpfleet.gateway.upstream.requests.in_flight", () => Each(federation, static u => u.Connection.InFlight), "{request}", "Requests sent to the upstream and not answered yet.");
        _meter.CreateObservableCounter("mcpfleet.gateway.upstream.reconnects", () => Each(federation, static u => u.Connection.State.Restarts), "{reconnect}", "Times the gateway reconnected to the upstream after it went down.");
        _meter.CreateObservableUpDownCounter("mcpfleet.gateway.list_changed.streams", () => federation.ListenerCount, "{stream}", "Open list_changed streams (GET of a gateway session, or subscriptions/listen).");
    }

    /// <summary>Records one routed request.</summary>
    /// <param name="method">The MCP method.</param>
    /// <param name="name">The tool or prompt name (exposed), <see cref="Other"/>, or null.</param>
    /// <param name="upstream">The upstream, or <see cref="Other"/>.</param>
    /// <param name="caller">The caller's label.</param>
    /// <param name="errorType">tool_error, a JSON-RPC code, timeout, upstream_unavailable, or null on success.</param>
    /// <param name="duration">How long it took.</param>
    public void Operation(string method, string? name, string upstream, string caller, string? errorType, TimeSpan duration)
    {
        var tags = new TagList { { "mcp.method.name", method }, { "mcpfleet.upstream", upstream }, { "mcpfleet.caller", caller } };
        if (name is not null)
        {
            tags.Add(method == ModelContextProtocol.Protocol.RequestMethods.PromptsGet ? "gen_ai.prompt.name" : "gen_ai.tool.name", name);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _operations.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts a request the gateway refused itself.</summary>
    /// <param name="reason">unauthorized, rate_limited, session, tool_not_allowed or upstream_down.</param>
    /// <param name="caller">The caller's label, or <c>unknown</c>.</param>
    public void Rejected(string reason, string caller) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("mcpfleet.caller", caller));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Each(Federation.Federation federation, Func<Federation.GatewayUpstream, int> value)
    {
        foreach (var upstream in federation.Upstreams)
        {
            yield return new Measurement<int>(value(upstream), new KeyValuePair<string, object?>("mcpfleet.upstream", upstream.Name));
        }
    }
}
