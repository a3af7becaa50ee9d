using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ModelContextProtocol;
using OpenTelemetry.Metrics;

namespace McpFleet.Hosting;

/// <summary>
/// The library's instruments. <c>mcp.server.operation.duration</c> is recorded here, once per MCP request, with the
/// method, the tool or prompt name and the error type of the OpenTelemetry MCP semantic conventions. The SDK records
/// a histogram of that name too, but without the tool name (unless tracing is on) and twice per request: the
/// response it sends counts as a second operation named <c>unknownMethod</c>. Its meter is therefore collected only in
/// stateful modes, for <c>mcp.server.session.duration</c>, with its operation histogram dropped.
/// </summary>
public sealed class McpFleetMetrics : IDisposable
{
    /// <summary>The name of this library's meter.</summary>
    public const string MeterName = "McpFleet.Hosting";

    /// <summary>The name of the SDK's meter; collected in stateful modes only, for <c>mcp.server.session.duration</c>.</summary>
    public const string SdkMeterName = "Experimental.ModelContextProtocol";

    /// <summary>The semantic-convention name of the MCP request histogram; the SDK's instrument of this name is dropped.</summary>
    internal const string OperationDurationName = "mcp.server.operation.duration";

    /// <summary>ASP.NET Core's in-flight gauge, dropped: <c>mcpfleet.mcp.requests.in_flight</c> counts MCP requests without two tagged measurements per request.</summary>
    internal const string AspNetCoreActiveRequestsName = "http.server.active_requests";

    /// <summary>The semantic conventions' value for a method, tool or prompt name outside the known set.</summary>
    internal const string Other = "_OTHER";

    private const string MethodTag = "mcp.method.name";
    private const string ErrorTypeTag = "error.type";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _operationDuration;
    private long _inFlight;

    /// <summary>Initializes a new instance of the <see cref="McpFleetMetrics"/> class.</summary>
    /// <param name="meterFactory">The meter factory.</param>
    public McpFleetMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        // Observed at scrape time from a field: two interlocked operations per request instead of two measurements.
        _meter.CreateObservableUpDownCounter("mcpfleet.mcp.requests.in_flight", () => Volatile.Read(ref _inFlight), "{request}", "MCP requests being handled now.");
        _sessions = _meter.CreateUpDownCounter<long>("mcpfleet.mcp.sessions.active", "{session}", "Open MCP sessions (stateful modes; always 0 when stateless).");
        _rejected = _meter.CreateCounter<long>("mcpfleet.mcp.requests.rejected", "{request}", "MCP HTTP requests refused before the SDK, by reason.");
        _operationDuration = _meter.CreateHistogram(
            OperationDurationName,
            "s",
            "Duration of MCP requests by method, tool or prompt, and error type (tools/call: the tool's execution).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
    }

    /// <summary>
    /// The series limit of the runtime's, the process's and ASP.NET Core's instruments (the platform meters
    /// <c>AddMcpFleetServer</c> collects): their tags are small enumerations (GC generation, HTTP method, status code,
    /// route, protocol), tens of series at most; past the limit measurements still count, in one overflow series.
    /// OpenTelemetry allocates every instrument's series up front, 2000 by default (~150 KB each, large-object heap):
    /// 4.8 MB for these ~33 instruments; bounding them took the proxy's idle RSS from 44.5 to 41.3 MiB (Native AOT).
    /// McpFleet's instruments and an application's own keep the default: they are tagged by tool, prompt, upstream or
    /// caller. (Bounding McpFleet's untagged counters and gauges too was measured: committed heap -1.3 MB, RSS unchanged.)
    /// </summary>
    internal const int BoundedCardinalityLimit = 200;

    /// <summary>Counts an MCP request in flight until its <see cref="OperationCompleted"/>.</summary>
    internal void OperationStarted() => Interlocked.Increment(ref _inFlight);

    internal void SessionOpened() => _sessions.Add(1);

    internal void SessionClosed() => _sessions.Add(-1);

    internal void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records one MCP request, and ends what <see cref="OperationStarted"/> began.</summary>
    /// <param name="method">The JSON-RPC method.</param>
    /// <param name="targetTag">The semantic-convention key of <paramref name="target"/> (<c>gen_ai.tool.name</c>, <c>gen_ai.prompt.name</c>), or null.</param>
    /// <param name="target">The tool or prompt name, or null.</param>
    /// <param name="errorType">The error type, or null on success.</param>
    /// <param name="duration">How long it took.</param>
    internal void OperationCompleted(string method, string? targetTag, string? target, string? errorType, TimeSpan duration)
    {
        Interlocked.Decrement(ref _inFlight);

        // A TagList holds up to eight tags inline: no allocation. Absent tags are left out, not set to empty.
        var tags = new TagList { { MethodTag, method } };
        if (target is not null)
        {
            tags.Add(targetTag!, target);
        }

        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _operationDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>The semantic-convention <c>error.type</c> of a failed request: the JSON-RPC error code, or the exception's type.</summary>
    /// <param name="exception">What the handler threw.</param>
    /// <returns>The error type.</returns>
    internal static string ErrorType(Exception exception) => exception switch
    {
        McpProtocolException protocol => ((int)protocol.ErrorCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonException => ((int)McpErrorCode.ParseError).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    /// <summary>
    /// The library's one OpenTelemetry view: drops ASP.NET Core's in-flight gauge and the SDK's operation histogram (both
    /// replaced by the library's), and bounds the series of the platform's instruments (<see cref="BoundedCardinalityLimit"/>).
    /// Null (no match) for any other meter's instruments, so that another view may match them without collecting them twice.
    /// </summary>
    /// <param name="instrument">The instrument being published.</param>
    /// <returns>The stream's configuration, or null for the default.</returns>
    internal static MetricStreamConfiguration? View(Instrument instrument)
    {
        if (instrument.Name == AspNetCoreActiveRequestsName
            || (instrument.Meter.Name == SdkMeterName && instrument.Name == OperationDurationName))
        {
            return MetricStreamConfiguration.Drop;
        }

        return instrument.Meter.Name is "System.Runtime" or "OpenTelemetry.Instrumentation.Process"
            || instrument.Meter.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            ? new MetricStreamConfiguration { CardinalityLimit = BoundedCardinalityLimit }
            : null;
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
