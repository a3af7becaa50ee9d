using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace McpFleet.Upstreams.Processes;

/// <summary>
/// The keeper: a small process between the host and the MCP server that leads the server's process group and stays
/// there until the group is gone. Started as <c>&lt;host&gt; __mcpfleet-keeper &lt;host pid&gt; -- &lt;command&gt; [args…]</c>,
/// it puts itself in a new process group, starts the command with the same stdin, stdout and stderr, and watches its
/// parent: when the host dies, even by SIGKILL, the keeper is re-parented, and it sends SIGTERM and then SIGKILL to the
/// whole group, so no server and none of the server's own children (npx starts node, uvx starts python) are left behind.
/// </summary>
/// <remarks>
/// Why not <c>PR_SET_PDEATHSIG</c> on the server itself: it reaches only the direct child (npx's node would stay), it fires
/// when the parent <em>thread</em> ends (a .NET thread-pool thread can retire at any time), and it needs code between
/// fork and exec, which <see cref="Process"/> does not offer. The keeper costs one small process per server.
/// </remarks>
public static class ChildKeeper
{
    /// <summary>The first argument that makes a host program act as the keeper.</summary>
    public const string Marker = "__mcpfleet-keeper";

    /// <summary>The keeper's exit code when the command cannot be started (as a shell's "command not found").</summary>
    public const int CannotStartExitCode = 127;

    private static readonly TimeSpan s_parentPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_orphanGrace = TimeSpan.FromSeconds(3);

    /// <summary>Gets a value indicating whether <paramref name="args"/> ask this program to act as the keeper.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <returns>Whether the first argument is <see cref="Marker"/>.</returns>
    public static bool IsKeeperInvocation(ReadOnlySpan<string> args) => args.Length > 0 && args[0] == Marker;

    /// <summary>Gets how this program starts a copy of itself as the keeper: its executable and the arguments before <see cref="Marker"/>.</summary>
    /// <returns>The command.</returns>
    public static KeeperCommand Self()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");

        // Run as 'dotnet app.dll': the keeper is 'dotnet app.dll __mcpfleet-keeper …'.
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? new KeeperCommand(path, [Environment.GetCommandLineArgs()[0]])
            : new KeeperCommand(path, []);
    }

    /// <summary>Runs the keeper. Call it first thing in <c>Main</c> when <see cref="IsKeeperInvocation"/> is true.</summary>
    /// <param name="args">The program's arguments, starting with <see cref="Marker"/>.</param>
    /// <returns>The command's exit code (128 + n when a signal n ended it), or <see cref="CannotStartExitCode"/>.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 4 || args[0] != Marker || args[2] != "--" || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            Console.Error.WriteLine($"mcpfleet: usage: {Marker} <parent pid> -- <command> [args...]");
            return 2;
        }

        _ = Posix.SetProcessGroup(0, 0);
        if (Posix.GetParentProcessId() != parent)
        {
            return 1; // The host died before the keeper got here: start nothing.
        }

        // SIGTERM and SIGINT reach the whole group: the server handles its own, the keeper waits for it to exit. The
        // registrations stay until the process ends: the keeper signals its own group last, and a registration disposed
        // before that signal is handled would let it end the keeper with 143 instead of the server's exit code.
        var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, static c => c.Cancel = true);
        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static c => c.Cancel = true);

        var start = new ProcessStartInfo(args[3]) { UseShellExecute = false };
        foreach (var a in args.AsSpan(4))
        {
            start.ArgumentList.Add(a);
        }

        Process command;
        try
        {
            command = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            Console.Error.WriteLine($"mcpfleet: cannot start '{args[3]}': {ex.Message}");
            return CannotStartExitCode;
        }

        using (command)
        {
            var watcher = new Thread(() => WatchParent(parent, command)) { IsBackground = true, Name = "mcpfleet-keeper" };
            watcher.Start();
            command.WaitForExit();

            // Whatever the server left in its group (children it did not wait for) gets SIGTERM; the host sends SIGKILL
            // to the group once the keeper has exited.
            _ = Posix.SignalGroup(Environment.ProcessId, Posix.SigTerm);
            GC.KeepAlive(term);
            GC.KeepAlive(interrupt);
            return command.ExitCode;
        }
    }

    private static void WatchParent(int parent, Process command)
    {
        while (Posix.GetParentProcessId() == parent)
        {
            Thread.Sleep(s_parentPollInterval);
        }

        // The host is gone: stop the whole group, then make sure.
        _ = Posix.SignalGroup(Environment.ProcessId, Posix.SigTerm);
        _ = command.WaitForExit(s_orphanGrace);
        _ = Posix.SignalGroup(Environment.ProcessId, Posix.SigKill);
    }
}
