using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using McpFleet.Processes.Native;

namespace McpFleet.Processes;

/// <summary>
/// The shim mode of the calling program: the process between a <see cref="ChildProcess"/> and its command. It leads the
/// child's session and process group, starts the command in it, reports on descriptor 3 (a socket whose other end only
/// the parent holds) and kills the whole group when that socket reaches end of file, which the kernel makes happen when
/// the parent exits by any means, SIGKILL included.
/// </summary>
/// <remarks>
/// Lines it writes on descriptor 3: <c>started PID</c> or <c>failed ERRNO MESSAGE</c>, then <c>status WAITSTATUS</c>
/// when the command ends. It ignores SIGTERM, SIGINT, SIGHUP and SIGQUIT, which the parent sends to the group for the
/// command, so it stays to report how the command ended; SIGKILL of the group ends it with the rest.
/// </remarks>
internal static class ChildProcessShim
{
    /// <summary>The first argument that selects shim mode.</summary>
    public const string Argument = "--mcpfleet-child-shim";

    /// <summary>The descriptor of the socket to the parent, in the shim.</summary>
    public const int Lifeline = 3;

    /// <summary>The command line that starts this program in shim mode, up to and including <see cref="Argument"/>.</summary>
    /// <returns>The program and its leading arguments.</returns>
    /// <exception cref="InvalidOperationException">The path of this program is unknown.</exception>
    public static IReadOnlyList<string> Prefix()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown, so it cannot start its child-process shim.");
        // Under the dotnet host (dotnet app.dll, dotnet exec, a test host) the host needs the app's assembly again;
        // an apphost or a Native AOT binary is the program itself.
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? [path, "exec", Path.Combine(AppContext.BaseDirectory, AppDomain.CurrentDomain.FriendlyName + ".dll"), Argument]
            : [path, Argument];
    }

    /// <summary>Runs shim mode: <c>WORKING_DIRECTORY FILE ARGS…</c>.</summary>
    /// <param name="args">The arguments after <see cref="Argument"/>.</param>
    /// <returns>The exit code, when the shim is not killed with its group first.</returns>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length < 2 || !Libc.SetCloseOnExec(Lifeline))
        {
            Console.Error.WriteLine($"{Argument} is started by McpFleet.Processes.ChildProcess only.");
            return 125;
        }

        // Stay for the command's end, whatever the group is sent; only SIGKILL (or the lost parent) ends the shim.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
        var watcher = new Thread(WatchParent) { IsBackground = true, Name = "parent watch" };
        watcher.Start();

        var workingDirectory = args[0];
        var file = args[1];
        if (workingDirectory.Length > 0 && !ChangeDirectory(workingDirectory, out var chdirError))
        {
            Report($"failed {chdirError.ToString(CultureInfo.InvariantCulture)} cannot enter the working directory {workingDirectory}: {Marshal.GetPInvokeErrorMessage(chdirError)}");
            return 126;
        }

        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{e.Key}={e.Value}");
        }

        string[] argv = [file, .. args[2..]];
        var pid = Spawn.Start(file, searchPath: !file.Contains('/', StringComparison.Ordinal), argv, environment, [], newSession: false);
        if (pid < 0)
        {
            Report($"failed {(-pid).ToString(CultureInfo.InvariantCulture)} {Marshal.GetPInvokeErrorMessage(-pid)}");
            return 127;
        }

        Report($"started {pid.ToString(CultureInfo.InvariantCulture)}");
        var status = Spawn.Wait(pid);
        if (status is { } s)
        {
            Report($"status {s.ToString(CultureInfo.InvariantCulture)}");
        }

        // The command is gone: so is whatever it left in its group, as a container's processes end with its main
        // process. This shim is in the group too.
        _ = Libc.Kill(0, Libc.SigKill);
        return 0;
    }

    private static unsafe bool ChangeDirectory(string path, out int errno)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var ok = Libc.ChangeDirectory(p) == 0;
            errno = ok ? 0 : Libc.Errno;
            return ok;
        }
    }

    /// <summary>Blocks until the parent's end of the socket is closed, then kills the group, this shim included.</summary>
    private static unsafe void WatchParent()
    {
        var buffer = stackalloc byte[64];
        while (true)
        {
            var n = Libc.Read(Lifeline, buffer, 64);
            if (n > 0 || (n < 0 && Libc.Errno == Libc.EIntr))
            {
                continue;
            }

            _ = Libc.Kill(0, Libc.SigKill);
            return;
        }
    }

    private static unsafe void Report(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        fixed (byte* p = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = Libc.Write(Lifeline, p + written, bytes.Length - written);
                if (n < 0 && Libc.Errno == Libc.EIntr)
                {
                    continue;
                }

                if (n <= 0)
                {
                    return;
                }

                written += (int)n;
            }
        }
    }
}
