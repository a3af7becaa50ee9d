using System.Diagnostics.Metrics;

namespace McpFleet.Hosting;

/// <summary>
/// The library's own instruments. Per-method and per-tool request counts, durations and errors come from the SDK's
/// <c>mcp.server.operation.duration</c> histogram (meter <see cref="SdkMeterName"/>); these add what it lacks.
/// </summary>
public sealed class McpFleetMetrics : IDisposable
{
    /// <summary>The name of this library's meter.</summary>
    public const string MeterName = "McpFleet.Hosting";

    /// <summary>The name of the SDK's meter (<c>mcp.server.operation.duration</c>, <c>mcp.server.session.duration</c>).</summary>
    public const string SdkMeterName = "Experimental.ModelContextProtocol";

    /// <summary>The name of the SDK's session histogram, dropped in stateless mode where every request is a session.</summary>
    internal const string SdkSessionDurationName = "mcp.server.session.duration";

    /// <summary>ASP.NET Core's in-flight gauge, dropped: <c>mcpfleet.mcp.requests.in_flight</c> counts MCP requests without two tagged measurements per request.</summary>
    internal const string AspNetCoreActiveRequestsName = "http.server.active_requests";

    private static readonly object s_true = true;
    private static readonly object s_false = false;
    private readonly Meter _meter;
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _toolErrors;
    private readonly Histogram<double> _toolDuration;
    private long _inFlight;

    /// <summary>Initializes a new instance of the <see cref="McpFleetMetrics"/> class.</summary>
    /// <param name="meterFactory">The meter factory.</param>
    public McpFleetMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        // Observed at scrape time from a field: two interlocked operations per request instead of two measurements.
        _meter.CreateObservableUpDownCounter("mcpfleet.mcp.requests.in_flight", () => Volatile.Read(ref _inFlight), "{request}", "MCP HTTP requests being served now.");
        _sessions = _meter.CreateUpDownCounter<long>("mcpfleet.mcp.sessions.active", "{session}", "Open MCP sessions (stateful modes; always 0 when stateless).");
        _rejected = _meter.CreateCounter<long>("mcpfleet.mcp.requests.rejected", "{request}", "MCP HTTP requests refused before the SDK, by reason.");
        _toolErrors = _meter.CreateCounter<long>("mcpfleet.mcp.tool.errors", "{call}", "tools/call results with isError or an exception, by tool.");
        _toolDuration = _meter.CreateHistogram(
            "mcpfleet.mcp.tool.duration",
            "s",
            "Duration of tools/call by tool (the SDK's mcp.server.operation.duration has no tool name).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    internal void RequestStarted() => Interlocked.Increment(ref _inFlight);

    internal void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    internal void SessionOpened() => _sessions.Add(1);

    internal void SessionClosed() => _sessions.Add(-1);

    internal void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void ToolCalled(string tool, TimeSpan duration, bool isError) => _toolDuration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>("gen_ai.tool.name", tool),
        new KeyValuePair<string, object?>("mcp.tool.is_error", isError ? s_true : s_false));

    internal void ToolError(string tool) => _toolErrors.Add(1, new KeyValuePair<string, object?>("gen_ai.tool.name", tool));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
