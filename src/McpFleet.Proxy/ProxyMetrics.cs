using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace McpFleet.Proxy;

/// <summary>
/// The proxy's instruments (meter <see cref="MeterName"/>). Tool calls are recorded as
/// <c>mcp.server.operation.duration</c>, the series McpFleet.Hosting records for its own servers, so one query covers
/// servers behind the proxy and servers on the library alike; requests refused before they reach the server are counted
/// by reason. Restarts, in-flight requests and readiness are the upstream's (<c>McpFleet.Upstreams</c>).
/// </summary>
internal sealed class ProxyMetrics : IDisposable
{
    public const string MeterName = "McpFleet.Proxy";

    /// <summary>The semantic conventions' value for a tool name the server does not list.</summary>
    public const string Other = "_OTHER";

    private readonly Meter _meter;
    private readonly Histogram<double> _operations;
    private readonly Counter<long> _rejected;

    public ProxyMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _operations = _meter.CreateHistogram(
            "mcp.server.operation.duration",
            "s",
            "Duration of tools/call requests forwarded to the MCP server, by tool and error type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _rejected = _meter.CreateCounter<long>("mcpfleet.proxy.requests.rejected", "{request}", "MCP requests refused before they reached the server, by reason: concurrency, not_ready.");
    }

    /// <summary>Records one <c>tools/call</c>.</summary>
    /// <param name="tool">The tool, or <see cref="Other"/>.</param>
    /// <param name="errorType">tool_error, a JSON-RPC code, timeout, upstream_unavailable, or null on success.</param>
    /// <param name="duration">How long it took.</param>
    public void ToolCall(string tool, string? errorType, TimeSpan duration)
    {
        var tags = new TagList { { "mcp.method.name", "tools/call" }, { "gen_ai.tool.name", tool } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _operations.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts a request refused before it reached the server.</summary>
    /// <param name="reason">concurrency or not_ready.</param>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
