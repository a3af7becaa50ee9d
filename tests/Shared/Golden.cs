using System.Runtime.CompilerServices;

namespace McpFleet.Tests;

/// <summary>
/// Golden files: compares output with a committed file, or rewrites the file when <c>MCPFLEET_UPDATE_GOLDEN=1</c>.
/// Never updates on CI (<c>CI=true</c>), so a stale golden file always fails there.
/// </summary>
public static class Golden
{
    /// <summary>The environment variable that turns comparison into update.</summary>
    public const string UpdateVariable = "MCPFLEET_UPDATE_GOLDEN";

    /// <summary>Gets the directory of the calling test source file.</summary>
    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>Gets the repository root (the directory holding McpFleet.slnx).</summary>
    public static string RepoRoot([CallerFilePath] string path = "")
    {
        for (var dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "McpFleet.slnx")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("McpFleet.slnx not found above " + path);
    }

    /// <summary>Asserts that <paramref name="actual"/> equals the golden file, or updates it when asked to.</summary>
    /// <param name="goldenPath">The golden file; relative paths are relative to the calling source file's directory.</param>
    /// <param name="actual">The output under test. Line endings are normalised to <c>\n</c>.</param>
    /// <param name="callerPath">Filled by the compiler.</param>
    public static void Match(string goldenPath, string actual, [CallerFilePath] string callerPath = "")
    {
        var path = Path.IsPathRooted(goldenPath) ? goldenPath : Path.Combine(Path.GetDirectoryName(callerPath)!, goldenPath);
        actual = actual.ReplaceLineEndings("\n");
        var update = Environment.GetEnvironmentVariable(UpdateVariable) == "1"
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != actual)
            {
                File.WriteAllText(path, actual);
            }

            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing. Run with {UpdateVariable}=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            var i = 0;
            while (i < e.Length && i < a.Length && e[i] == a[i])
            {
                i++;
            }

            Assert.Fail(
                $"Output differs from golden file {path} at line {i + 1}:\n" +
                $"  expected: {(i < e.Length ? e[i] : "<end of file>")}\n" +
                $"  actual:   {(i < a.Length ? a[i] : "<end of file>")}\n" +
                $"Run with {UpdateVariable}=1 to accept the new output.");
        }
    }
}
