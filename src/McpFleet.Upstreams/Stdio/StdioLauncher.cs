using System.ComponentModel;
using McpFleet.Processes;
using Microsoft.Extensions.Logging;

namespace McpFleet.Upstreams.Stdio;

/// <summary>
/// Starts an MCP server as a <see cref="ChildProcess"/> (its own session and process group, killed with everything it
/// started when this process dies, even by SIGKILL) and speaks MCP to it over stdin and stdout. Its stderr becomes JSON
/// log lines of category <c>McpFleet.Upstreams.Stderr</c>. The host program must call
/// <see cref="ChildProcess.TryRunShim"/> first in <c>Main</c>.
/// </summary>
public sealed partial class StdioLauncher : IUpstreamLauncher
{
    /// <summary>Longest stdout line accepted (a large resource or tool result fits; a runaway line does not fill memory).</summary>
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly ChildProcessOptions _command;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamMetrics? _metrics;

    /// <summary>Initializes a new instance of the <see cref="StdioLauncher"/> class.</summary>
    /// <param name="command">The server's command, arguments, environment and working directory (its stdio is set here).</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="metrics">Instruments, or null.</param>
    public StdioLauncher(ChildProcessOptions command, ILoggerFactory loggerFactory, TimeProvider timeProvider, UpstreamMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _command = command;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StdioLauncher>();
        _timeProvider = timeProvider;
        _metrics = metrics;
        Description = string.Join(' ', [command.FileName, .. command.Arguments]);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<UpstreamLink> LaunchAsync(CancellationToken cancellationToken)
    {
        var stderr = new StandardErrorLog(_loggerFactory.CreateLogger("McpFleet.Upstreams.Stderr"), _timeProvider);
        ChildProcess child;
        try
        {
            child = await ChildProcess.StartAsync(
                _command with
                {
                    StandardInput = ChildStdio.Pipe,
                    StandardOutput = ChildStdio.Pipe,
                    StandardError = ChildStdio.Pipe,
                    ErrorLine = stderr.Write,
                    TimeProvider = _timeProvider,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{ex.Message} (is '{_command.FileName}' on PATH and executable?)", ex);
        }

        LogStarted(_logger, Description, child.ProcessGroupId);
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

        var link = new UpstreamLink(
            transport,
            EndedAsync(child),
            async (grace, ct) =>
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                await StopAsync(child, grace, ct).ConfigureAwait(false);
                await child.DisposeAsync().ConfigureAwait(false);
            },
            () => Diagnostics(stderr.LastLine, lastInvalid));
        return link;
    }

    /// <summary>stdin closed first (a well-behaved stdio server exits on end of input), then SIGTERM, then SIGKILL; half the bound each.</summary>
    private async Task StopAsync(ChildProcess child, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            child.StandardInput.Close();
            _ = await child.WaitForExitAsync(cancellationToken).WaitAsync(grace / 2, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException)
        {
            _ = await child.StopAsync(cancellationToken.IsCancellationRequested ? TimeSpan.Zero : grace / 2, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> EndedAsync(ChildProcess child)
    {
        var exit = await child.WaitForExitAsync().ConfigureAwait(false);
        LogExited(_logger, child.ProcessGroupId, exit.ToString());
        return exit.Signal is { } signal
            ? $"the MCP server was killed by signal {signal} ({ChildExit.SignalName(signal)})"
            : $"the MCP server exited with code {exit.Code}";
    }

    private static string? Diagnostics(string? stderr, string? invalid) => (stderr, invalid) switch
    {
        (null, null) => null,
        (_, null) => $"last stderr line: {stderr}",
        (null, _) => $"stdout line that is not JSON-RPC: {invalid}",
        _ => $"last stderr line: {stderr}; stdout line that is not JSON-RPC: {invalid}",
    };

    [LoggerMessage(130, LogLevel.Information, "Started the MCP server: {Command} (process group {ProcessGroup})")]
    private static partial void LogStarted(ILogger logger, string command, int processGroup);

    [LoggerMessage(131, LogLevel.Warning, "The MCP server wrote a line to stdout that is not a JSON-RPC message (number {Count}; stdout is for MCP only, logs belong on stderr): {Line}")]
    private static partial void LogInvalidLine(ILogger logger, int count, string line);

    [LoggerMessage(132, LogLevel.Warning, "The MCP server (process group {ProcessGroup}) ended: {Exit}")]
    private static partial void LogExited(ILogger logger, int processGroup, string exit);
}
