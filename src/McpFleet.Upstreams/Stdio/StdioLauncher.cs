using System.Globalization;
using McpFleet.Upstreams.Processes;
using Microsoft.Extensions.Logging;

namespace McpFleet.Upstreams.Stdio;

/// <summary>
/// Starts an MCP server as a child process (under <see cref="ChildKeeper"/>, in its own process group) and speaks MCP
/// to it over stdin and stdout. Its stderr becomes JSON log lines of category <c>McpFleet.Upstreams.Stderr</c>.
/// </summary>
public sealed partial class StdioLauncher : IUpstreamLauncher
{
    /// <summary>Longest stdout line accepted (a large resource or tool result fits; a runaway line does not fill memory).</summary>
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly ChildProcessStartInfo _start;
    private readonly KeeperCommand _keeper;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamMetrics? _metrics;

    /// <summary>Initializes a new instance of the <see cref="StdioLauncher"/> class.</summary>
    /// <param name="start">The server's command, arguments and environment (<see cref="ChildProcessStartInfo.StandardErrorLine"/> is set here).</param>
    /// <param name="keeper">How to start the keeper; <see cref="ChildKeeper.Self"/> when this program is the host.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="metrics">Instruments, or null.</param>
    public StdioLauncher(ChildProcessStartInfo start, KeeperCommand keeper, ILoggerFactory loggerFactory, TimeProvider timeProvider, UpstreamMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _start = start;
        _keeper = keeper;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StdioLauncher>();
        _timeProvider = timeProvider;
        _metrics = metrics;
        Description = string.Join(' ', [start.FileName, .. start.Arguments]);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public Task<UpstreamLink> LaunchAsync(CancellationToken cancellationToken)
    {
        var stderr = new StandardErrorLog(_loggerFactory.CreateLogger("McpFleet.Upstreams.Stderr"), _timeProvider);
        var child = KeeperChildProcess.Start(_start with { StandardErrorLine = stderr.Write }, _keeper);
        LogStarted(_logger, Description, child.Id);
        string? lastInvalid = null;
        var invalid = 0;
        var transport = new ChildStdioTransport(child.StandardInput, child.StandardOutput, "mcp-server", MaxLineBytes, line =>
        {
            lastInvalid = line;
            _metrics?.InvalidLine();

            // The first few say what is wrong; after that, one line per thousand keeps a garbage stream out of the logs.
            if (++invalid <= 10 || invalid % 1000 == 0)
            {
                LogInvalidLine(_logger, invalid, line);
            }
        }, _loggerFactory);

        var ended = EndedAsync(child);
        var link = new UpstreamLink(
            transport,
            ended,
            async (grace, ct) =>
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                _ = await child.StopAsync(grace, ct).ConfigureAwait(false);
                await child.DisposeAsync().ConfigureAwait(false);
            },
            () => Diagnostics(stderr.LastLine, lastInvalid));
        return Task.FromResult(link);
    }

    private async Task<string> EndedAsync(KeeperChildProcess child)
    {
        var code = await child.Exited.ConfigureAwait(false);
        var text = code == ChildKeeper.CannotStartExitCode
            ? $"the MCP server could not be started (exit code {code}: is '{_start.FileName}' on PATH and executable?)"
            : code > 128 && code < 160
                ? $"the MCP server was killed by signal {code - 128} (exit code {code})"
                : $"the MCP server exited with code {code.ToString(CultureInfo.InvariantCulture)}";
        LogExited(_logger, child.Id, code);
        return text;
    }

    private static string? Diagnostics(string? stderr, string? invalid) => (stderr, invalid) switch
    {
        (null, null) => null,
        (_, null) => $"last stderr line: {stderr}",
        (null, _) => $"stdout line that is not JSON-RPC: {invalid}",
        _ => $"last stderr line: {stderr}; stdout line that is not JSON-RPC: {invalid}",
    };

    [LoggerMessage(130, LogLevel.Information, "Started the MCP server: {Command} (process group {Pid})")]
    private static partial void LogStarted(ILogger logger, string command, int pid);

    [LoggerMessage(131, LogLevel.Warning, "The MCP server wrote a line to stdout that is not a JSON-RPC message (number {Count}; stdout is for MCP only, logs belong on stderr): {Line}")]
    private static partial void LogInvalidLine(ILogger logger, int count, string line);

    [LoggerMessage(132, LogLevel.Warning, "The MCP server (process group {Pid}) exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, int pid, int exitCode);
}
