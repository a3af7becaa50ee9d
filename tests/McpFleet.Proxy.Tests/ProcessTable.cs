using System.Globalization;

namespace McpFleet.Proxy.Tests;

/// <summary>Looks for processes by a unique token in their command line, the way <c>ps -ef | grep</c> would.</summary>
internal static class ProcessTable
{
    /// <summary>Returns the pids and command lines of live processes whose command line contains <paramref name="token"/>.</summary>
    /// <param name="token">A token unique to the test.</param>
    /// <returns>The matches.</returns>
    public static IReadOnlyList<string> Find(string token)
    {
        List<string> found = [];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var zombie = stat.Length > stat.LastIndexOf(')') + 2 && stat[stat.LastIndexOf(')') + 2] == 'Z';
                if (!zombie && cmdline.Contains(token, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {cmdline.Trim()}");
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Waits until no process has <paramref name="token"/> in its command line.</summary>
    /// <param name="token">The token.</param>
    /// <param name="bound">How long to wait.</param>
    /// <returns>The processes still there at the bound (empty when none).</returns>
    public static async Task<IReadOnlyList<string>> WaitGoneAsync(string token, TimeSpan bound)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var left = Find(token);
            if (left.Count == 0 || clock.Elapsed > bound)
            {
                return left;
            }

            await Task.Delay(50);
        }
    }
}
