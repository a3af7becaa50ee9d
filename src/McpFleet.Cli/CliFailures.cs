namespace McpFleet.Cli;

/// <summary>The one place an exception that leaves a verb becomes a message and an exit code.</summary>
/// <remarks>
/// Verbs turn the failures they expect into diagnostics themselves. What still escapes gets one line here, never a
/// stack trace and never exit 1 (which means "findings" to scripts).
/// </remarks>
internal static class CliFailures
{
    /// <summary>Prints one line for <paramref name="exception"/> and chooses the exit code.</summary>
    /// <param name="context">Where to print.</param>
    /// <param name="exception">What escaped the verb.</param>
    /// <returns><see cref="ExitCodes.Interrupted"/> when cancelled, else <see cref="ExitCodes.OperationFailed"/>.</returns>
    public static int Handle(CliContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsCancellation(exception))
        {
            TrySay(context, "error: interrupted (Ctrl-C or SIGTERM); files and directories being written were left as they were");
            return ExitCodes.Interrupted;
        }

        TrySay(context, exception is StandardStreamException stream
            ? "error: " + stream.Message
            : $"error: internal error ({exception.GetType().Name}: {exception.Message}); please report it with the command line");
        return ExitCodes.OperationFailed;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(IsCancellation));

    // Standard error may be the stream that failed; then the exit code is all that can be said.
    private static void TrySay(CliContext context, string line)
    {
        try
        {
            context.Say(line);
        }
        catch (IOException)
        {
        }
    }
}
