using Microsoft.Extensions.Logging;

namespace McpFleet.Upstreams.Stdio;

/// <summary>
/// Turns the child's stderr into JSON log lines, at most <see cref="LinesPerSecond"/> a second: a child that floods
/// stderr must not flood the node's log pipeline or slow the proxy. Dropped lines are counted and said once a second.
/// Keeps the last line for <c>/ready</c> and restart reasons.
/// </summary>
internal sealed partial class StandardErrorLog(ILogger logger, TimeProvider timeProvider)
{
    /// <summary>Lines logged per second at most.</summary>
    internal const int LinesPerSecond = 200;

    private readonly Lock _lock = new();
    private long _windowStart = timeProvider.GetTimestamp();
    private int _inWindow;
    private long _dropped;

    /// <summary>Gets the last line the child wrote to stderr, or null.</summary>
    public string? LastLine { get; private set; }

    /// <summary>Logs (or counts) one stderr line. Called on the stderr pump, in order.</summary>
    /// <param name="line">The line.</param>
    public void Write(string line)
    {
        if (line.Length > 0)
        {
            LastLine = line;
        }

        long dropped = 0;
        bool log;
        lock (_lock)
        {
            if (timeProvider.GetElapsedTime(_windowStart) >= TimeSpan.FromSeconds(1))
            {
                dropped = _dropped;
                _dropped = 0;
                _inWindow = 0;
                _windowStart = timeProvider.GetTimestamp();
            }

            log = ++_inWindow <= LinesPerSecond;
            if (!log)
            {
                _dropped++;
            }
        }

        if (dropped > 0)
        {
            LogDropped(logger, dropped, LinesPerSecond);
        }

        if (log)
        {
            LogLine(logger, line);
        }
    }

    [LoggerMessage(120, LogLevel.Information, "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(121, LogLevel.Warning, "The MCP server wrote more than {LinesPerSecond} stderr lines a second; {Dropped} lines were not logged")]
    private static partial void LogDropped(ILogger logger, long dropped, int linesPerSecond);
}
