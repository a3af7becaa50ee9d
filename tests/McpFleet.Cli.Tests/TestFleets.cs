using System.Globalization;
using System.Text;

namespace McpFleet.Cli.Tests;

/// <summary>Small fleets written into a test's temp directory.</summary>
internal static class TestFleets
{
    /// <summary>
    /// Writes a valid fleet of <paramref name="servers"/> servers (<c>s000</c>, <c>s001</c>…) in two phases, every server at
    /// <paramref name="version"/>, so two versions of it render to trees of the same shape with different bytes.
    /// </summary>
    /// <param name="directory">The fleet directory (created).</param>
    /// <param name="servers">How many servers.</param>
    /// <param name="version">The version of every server, e.g. <c>1.0.0</c>.</param>
    /// <returns>The directory.</returns>
    public static string Write(string directory, int servers, string version)
    {
        Directory.CreateDirectory(Path.Combine(directory, "values"));
        var names = Enumerable.Range(0, servers).Select(i => string.Create(CultureInfo.InvariantCulture, $"s{i:D3}")).ToList();
        var fleet = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"namespace: rt\ncallers: {{app: x}}\nports: {{min: 10000, max: {10000 + servers}}}\nphases:\n"));
        fleet.Append("  - name: one\n    servers: [").AppendJoin(", ", names.Take((servers + 1) / 2)).Append("]\n");
        if (servers > 1)
        {
            fleet.Append("  - name: two\n    servers: [").AppendJoin(", ", names.Skip((servers + 1) / 2)).Append("]\n");
        }

        File.WriteAllText(Path.Combine(directory, "fleet.yaml"), fleet.ToString());
        for (var i = 0; i < servers; i++)
        {
            File.WriteAllText(Path.Combine(directory, "values", names[i] + ".yaml"), string.Create(CultureInfo.InvariantCulture,
                $"name: {names[i]}\nport: {10000 + i}\nversion: \"{version}\"\ndescription: \"server {i} of a test fleet\"\n"));
        }

        return directory;
    }

    /// <summary>Every file below <paramref name="root"/> with its text, keyed by relative path; hidden entries included.</summary>
    /// <param name="root">The directory.</param>
    /// <returns>The snapshot, or an empty one when the directory does not exist.</returns>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return snapshot;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            snapshot[Path.GetRelativePath(root, file)] = File.ReadAllText(file);
        }

        return snapshot;
    }

    /// <summary>Tells whether two snapshots hold the same files and bytes.</summary>
    /// <param name="a">One snapshot.</param>
    /// <param name="b">The other.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool Same(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
