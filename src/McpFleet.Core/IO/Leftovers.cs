using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace McpFleet.IO;

/// <summary>
/// The names of the temp entries an atomic write puts beside its target, and the clean-up of those that a killed run
/// left behind. One home, so every writer cleans what every other writer leaves.
/// </summary>
/// <remarks>
/// A temp name carries the writing process's id (<c>.out.tmp-4711-1a2b3c4d</c>), so a run removes only the entries of
/// processes that are gone and never the temp tree of a run still writing beside it. Names without a pid come from
/// earlier McpFleet versions and are always stale.
/// </remarks>
internal static partial class Leftovers
{
    /// <summary>A name for a temp entry beside <paramref name="name"/>, owned by this process.</summary>
    /// <param name="name">The target's file name.</param>
    /// <returns>The temp entry's file name.</returns>
    public static string TempName(string name) => $".{name}.tmp-{Environment.ProcessId}-{Suffix()}";

    /// <summary>A name for the old tree moved aside by a swap without <c>RENAME_EXCHANGE</c>, owned by this process.</summary>
    /// <param name="name">The target's file name.</param>
    /// <returns>The entry's file name.</returns>
    public static string OldName(string name) => $".{name}.old-{Environment.ProcessId}-{Suffix()}";

    /// <summary>
    /// Removes the stale temp entries beside <c>parent/name</c>. When the target itself is missing and a moved-aside old
    /// tree is left (a run killed between the two renames of the fallback swap), the old tree is put back first: the
    /// new tree was never known to be complete.
    /// </summary>
    /// <param name="parent">The target's directory.</param>
    /// <param name="name">The target's file name.</param>
    /// <returns>The entries removed or restored.</returns>
    public static int Clean(string parent, string name)
    {
        var stale = new List<(string Path, bool IsOld)>();
        foreach (var entry in Entries(parent))
        {
            if (Classify(Path.GetFileName(entry), name) is { } found && !(found.Pid is { } pid && IsAlive(pid)))
            {
                stale.Add((entry, found.IsOld));
            }
        }

        var target = Path.Combine(parent, name);
        var count = 0;
        if (!Directory.Exists(target) && !File.Exists(target)
            && stale.Where(s => s.IsOld).OrderByDescending(s => Directory.GetLastWriteTimeUtc(s.Path)).FirstOrDefault() is { Path: { } old })
        {
            try
            {
                Directory.Move(old, target);
                stale.RemoveAll(s => s.Path == old);
                count++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a person: the old tree is still beside the target, under its hidden name.
                stale.RemoveAll(s => s.IsOld);
            }
        }

        foreach (var (path, _) in stale)
        {
            count += Delete(path) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Removes the per-file temp files that <c>helm values</c> wrote inside its directory before it swapped whole directories.</summary>
    /// <param name="directory">The target directory.</param>
    public static void CleanInside(string directory)
    {
        foreach (var entry in Entries(directory))
        {
            if (LegacyValuesTemp().IsMatch(Path.GetFileName(entry)))
            {
                Delete(entry);
            }
        }
    }

    /// <summary>Deletes a file or a directory tree; best effort (what stays is removed by the next run).</summary>
    /// <param name="path">The entry.</param>
    /// <returns><see langword="true"/> when it is gone.</returns>
    public static bool Delete(string path)
    {
        try
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (int? Pid, bool IsOld)? Classify(string entry, string name)
    {
        foreach (var (prefix, isOld) in new[] { ($".{name}.tmp-", false), ($".{name}.old-", true), ($".{name}.import-", false), ($"{name}.tmp-", false) })
        {
            if (!entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = entry[prefix.Length..];
            if (Owned().Match(rest) is { Success: true } owned && prefix[0] == '.' && int.TryParse(owned.Groups[1].ValueSpan, out var pid))
            {
                return (pid, isOld);
            }

            // Earlier versions: .out.tmp-<12 hex>, .out.old-<12|32 hex>, .out.import-<32 hex>, report.md.tmp-<32 hex>.
            if (Legacy().IsMatch(rest))
            {
                return (null, isOld);
            }
        }

        return null;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static List<string> Entries(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Suffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    [GeneratedRegex(@"^([0-9]{1,10})-[0-9a-f]{8}$")]
    private static partial Regex Owned();

    [GeneratedRegex(@"^(?:[0-9a-f]{12}|[0-9a-f]{32})$")]
    private static partial Regex Legacy();

    [GeneratedRegex(@"^\..+\.yaml\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex LegacyValuesTemp();
}
