using System.Diagnostics.Metrics;

namespace McpFleet.Upstreams;

/// <summary>
/// Instruments of the upstream MCP servers (meter <see cref="MeterName"/>): restarts, requests waiting for a server,
/// whether it is ready, and stdout lines that were not JSON-RPC.
/// </summary>
public sealed class UpstreamMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "McpFleet.Upstreams";

    private readonly Meter _meter;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _invalidLines;
    private readonly Lock _lock = new();
    private Upstream[] _upstreams = [];

    /// <summary>Initializes a new instance of the <see cref="UpstreamMetrics"/> class.</summary>
    /// <param name="meterFactory">The meter factory.</param>
    public UpstreamMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _restarts = _meter.CreateCounter<long>("mcpfleet.upstream.restarts", "{restart}", "Restarts of the upstream MCP server (it exited, refused to initialize or stopped answering).");
        _invalidLines = _meter.CreateCounter<long>("mcpfleet.upstream.invalid_lines", "{line}", "Lines on the MCP server's stdout that were not JSON-RPC messages.");
        _meter.CreateObservableUpDownCounter("mcpfleet.upstream.requests.in_flight", () => Sum(static u => u.InFlight), "{request}", "Requests sent to the upstream MCP server and not answered yet.");
        _meter.CreateObservableGauge("mcpfleet.upstream.ready", () => Sum(static u => u.State.IsReady ? 1 : 0), "{server}", "1 while the upstream MCP server is initialized and answering.");
    }

    /// <summary>Adds <paramref name="upstream"/> to the observed gauges.</summary>
    /// <param name="upstream">The upstream.</param>
    public void Observe(Upstream upstream)
    {
        lock (_lock)
        {
            _upstreams = [.. _upstreams, upstream];
        }
    }

    /// <summary>Counts a restart.</summary>
    public void Restarted() => _restarts.Add(1);

    /// <summary>Counts a stdout line that was not JSON-RPC.</summary>
    public void InvalidLine() => _invalidLines.Add(1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private int Sum(Func<Upstream, int> value)
    {
        var sum = 0;
        foreach (var u in Volatile.Read(ref _upstreams))
        {
            sum += value(u);
        }

        return sum;
    }
}
