using System.Text.RegularExpressions;
using McpFleet.Import;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Import;

/// <summary>One case of testdata/compose: its inputs (case.txt) and its expected output folder.</summary>
public sealed partial class ComposeCorpus
{
    private ComposeCorpus(string name, string directory, ComposeImportOptions options)
    {
        Name = name;
        Directory = directory;
        Options = options;
    }

    public static string Root => Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Core.Tests", "testdata", "compose");

    public string Name { get; }

    public string Directory { get; }

    public ComposeImportOptions Options { get; }

    public string Expected => Path.Combine(Directory, "expected");

    public static TheoryData<string> Names(bool bad)
    {
        var data = new TheoryData<string>();
        foreach (var dir in System.IO.Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith("bad-", StringComparison.Ordinal) == bad)
            {
                data.Add(name);
            }
        }

        return data;
    }

    /// <summary>Loads a case; case.txt has <c>files:</c>, and optionally <c>env-file:</c>, <c>namespace:</c>, <c>secret-prefix:</c>, <c>include:</c>.</summary>
    public static ComposeCorpus Load(string name)
    {
        var dir = Path.Combine(Root, name);
        var settings = File.ReadAllLines(Path.Combine(dir, "case.txt"))
            .Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => (Key: l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        string? Get(string key) => settings.FirstOrDefault(s => s.Key == key).Value;
        var options = new ComposeImportOptions
        {
            Files = Get("files")!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            BaseDirectory = dir,
            EnvFile = Get("env-file"),
            Namespace = Get("namespace"),
            SecretPrefix = Get("secret-prefix"),
            Include = [.. settings.Where(s => s.Key == "include").Select(s => s.Value)],
        };
        return new ComposeCorpus(name, dir, options);
    }

    public ComposeImportResult Import() => ComposeImporter.Import(Options);

    /// <summary>
    /// Every credential value in the inputs: the lines of secrets.txt (values only a person can tell are secrets),
    /// plus each value of a variable whose name marks it a credential, in env files and Compose files.
    /// </summary>
    public IReadOnlyList<string> SecretValues()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var listed = Path.Combine(Directory, "secrets.txt");
        if (File.Exists(listed))
        {
            values.UnionWith(File.ReadAllLines(listed).Where(l => l.Length > 0));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            if (file.StartsWith(Expected, StringComparison.Ordinal) || file.EndsWith("secrets.txt", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in Assignment().Matches(File.ReadAllText(file)))
            {
                var value = m.Groups[2].Value.Trim('"', '\'');
                if (value.Length >= 6 && !value.Contains("${", StringComparison.Ordinal) && IsSecretName(m.Groups[1].Value))
                {
                    values.Add(value);
                }
            }
        }

        return [.. values.Order(StringComparer.Ordinal)];
    }

    private static bool IsSecretName(string name) =>
        name.ToUpperInvariant().Split('_').Any(p => new[] { "KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PRIVATE", "CREDENTIAL" }
            .Any(w => p.StartsWith(w, StringComparison.Ordinal) || p.EndsWith(w, StringComparison.Ordinal)));

    [GeneratedRegex(@"^\s*(?:-\s*)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[:=]\s*(\S.*?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
