namespace McpFleet.Upstreams.Processes;

/// <summary>
/// A child process in a process group of its own that cannot outlive its parent: the shape that
/// <c>McpFleet.Processes.ChildProcess</c> will provide (until then <see cref="KeeperChildProcess"/> implements it).
/// </summary>
public interface IChildProcess : IAsyncDisposable
{
    /// <summary>Gets the pid of the process that leads the group (signals to it reach the whole group).</summary>
    int Id { get; }

    /// <summary>Gets the child's stdin.</summary>
    Stream StandardInput { get; }

    /// <summary>Gets the child's stdout.</summary>
    Stream StandardOutput { get; }

    /// <summary>Gets a task that completes with the exit code when the child has exited (128 + n when killed by signal n).</summary>
    Task<int> Exited { get; }

    /// <summary>Closes the child's stdin: a well-behaved MCP stdio server exits on end of input.</summary>
    void CloseStandardInput();

    /// <summary>Sends <paramref name="signal"/> to the child's whole process group.</summary>
    /// <param name="signal">The signal number (15 SIGTERM, 9 SIGKILL).</param>
    void SignalGroup(int signal);

    /// <summary>
    /// Stops the child as the runtime contract says: close stdin, wait, SIGTERM the group, wait, SIGKILL the group;
    /// half of <paramref name="grace"/> for each wait.
    /// </summary>
    /// <param name="grace">The bound; SIGKILL follows it.</param>
    /// <param name="cancellationToken">Skips straight to SIGKILL.</param>
    /// <returns>The exit code.</returns>
    Task<int> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default);
}
