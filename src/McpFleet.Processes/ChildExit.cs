using System.Globalization;

namespace McpFleet.Processes;

/// <summary>How a child's command ended: an exit code, or the signal that killed it.</summary>
/// <param name="ExitCode">The exit code, or null when a signal ended the command.</param>
/// <param name="Signal">The signal number that ended the command, or null when it exited.</param>
public readonly record struct ChildExit(int? ExitCode, int? Signal)
{
    /// <summary>Gets the code a shell or the kubelet reports: the exit code, or 128 plus the signal number.</summary>
    public int Code => ExitCode ?? 128 + (Signal ?? 0);

    /// <summary>Decodes a <c>waitpid</c> status (the same layout on Linux and macOS).</summary>
    /// <param name="status">The status.</param>
    /// <returns>The exit.</returns>
    internal static ChildExit FromWaitStatus(int status) =>
        (status & 0x7f) == 0 ? new((status >> 8) & 0xff, null) : new(null, status & 0x7f);

    /// <summary>Gets the conventional name of a signal number, e.g. <c>SIGTERM</c>.</summary>
    /// <param name="signal">The signal number.</param>
    /// <returns>The name, or <c>signal N</c> for one without a portable name.</returns>
    public static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Describes the exit: <c>exited with code 3</c> or <c>exited with code 137 (SIGKILL)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Signal is { } signal
        ? $"exited with code {Code.ToString(CultureInfo.InvariantCulture)} ({SignalName(signal)})"
        : $"exited with code {Code.ToString(CultureInfo.InvariantCulture)}";
}
