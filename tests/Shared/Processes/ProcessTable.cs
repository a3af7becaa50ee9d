using System.Globalization;

namespace McpFleet.Tests;

/// <summary>Reads Linux <c>/proc</c> to tell whether processes are gone and which group and session they are in.</summary>
public static class ProcessTable
{
    /// <summary>One process's state (R, S, Z …), parent, process group and session.</summary>
    public sealed record Entry(int Pid, char State, int ParentPid, int ProcessGroup, int Session);

    /// <summary>Reads <c>/proc/PID/stat</c>, or null when the process does not exist.</summary>
    public static Entry? Read(int pid)
    {
        Assert.True(OperatingSystem.IsLinux(), "the process checks read /proc");
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid pgrp session …": comm may hold spaces and parentheses, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new Entry(pid, fields[0][0], Parse(fields[1]), Parse(fields[2]), Parse(fields[3]));
    }

    /// <summary>True when the process does not exist or is a zombie waiting to be reaped.</summary>
    public static bool IsGone(int pid) => Read(pid) is null or { State: 'Z' or 'X' };

    /// <summary>Waits until every pid is gone; fails naming the ones left after <paramref name="bound"/>.</summary>
    public static async Task AssertAllGoneAsync(IEnumerable<int> pids, TimeSpan bound)
    {
        var list = pids.ToList();
        var start = DateTime.UtcNow;
        while (list.Any(p => !IsGone(p)) && DateTime.UtcNow - start < bound)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        var left = list.Where(p => !IsGone(p)).ToList();
        Assert.True(left.Count == 0, $"still running: {string.Join(", ", left.Select(p => $"{p} ({Describe(p)})"))}");
    }

    /// <summary>Every live process in <paramref name="group"/>.</summary>
    public static IReadOnlyList<int> InGroup(int group) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .Where(e => e is { State: not 'Z' and not 'X' } && e.ProcessGroup == group)
            .Select(e => e!.Pid)
            .ToList();

    private static string Describe(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
