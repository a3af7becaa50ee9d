namespace McpFleet.Cli;

/// <summary>Process exit codes of <c>mcpfleet</c>. Scripts and CI rely on them; see docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked and nothing needs attention.</summary>
    public const int Success = 0;

    /// <summary>The command ran, and found something that needs a person: lint findings, an unready server, import warnings.</summary>
    public const int Findings = 1;

    /// <summary>Invalid input: bad arguments, an invalid spec, unreadable files. Nothing was written.</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// The cluster or a server failed (a rollout timed out, a phase failed, a smoke check did not match), or the output
    /// could not be written (standard output on a full disk).
    /// </summary>
    public const int OperationFailed = 3;

    /// <summary>
    /// Ctrl-C or SIGTERM stopped the verb before it finished (128 + SIGINT, as shells report it). Outputs are as they
    /// were: every directory and file is replaced atomically. <c>up --local</c> is stopped this way on purpose and exits 0.
    /// </summary>
    public const int Interrupted = 130;
}
