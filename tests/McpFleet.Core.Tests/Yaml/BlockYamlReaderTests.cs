using System.Text;
using McpFleet.Tests;
using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Yaml;

/// <summary>
/// The fast reader must give exactly what YamlDotNet gives (values, plainness, every line and column, document
/// positions) wherever it does not give up, and give up on everything else.
/// </summary>
public sealed class BlockYamlReaderTests
{
    public static TheoryData<string> SubsetCases => new()
    {
        "a: 1\nb: two\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app.kubernetes.io/name: x\ndata:\n  k: v\n",
        "# leading comment\n\n---\na: 1 # trailing\n---\n# only a comment here\nb: 2\n",
        "---\na: 1\n",
        "---\n---\na: 1\n",
        "list:\n  - a\n  - 'b c'\n  - \"d\\te\\\"f\\u00e9\"\n  -   spaced\n",
        "list:\n- a\n- b\nnext: 1\n",
        "containers:\n  - name: x\n    image: y:1.0\n    ports:\n      - containerPort: 80\n        name: http\n  - name: z\n",
        "items:\n  -\n    a: 1\n  -\n    - nested\n",
        "script: |\n  line 1\n\n    indented\n  line 3\nafter: x\n",
        "script: |-\n  one\n  two\n\n\nafter: x\n",
        "config.json: |\n  {\n    \"a\": 1\n  }\n",
        "flow: [a, \"b\", 'c', 10]\nmap: {min: 1, max: \"2\"}\nempty: []\nnone: {}\n",
        "url: http://example.com:8080/path#frag\nq: 'it''s'\nn: -5\nflag: --verbose\n",
        "key with spaces: value with spaces   \n\"quoted key\": 1\n'single': 2\n",
        "a:\n  b:\n    c:\n      d: deep\ne: f\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "top:\n  value on its own line\nnext: 2\n",
        "- a\n- b: 1\n  c: 2\n- [x, y]\n",
        "just a scalar\n",
        "empty:\nnext: 1\n",
        "a:\n  empty: # c\n\n  # x\n  b: 1\nc:\n",
        "- \n- a\n",
        "l:\n  -\n  - a\n",
        "---\n# nothing\n---\na: 1\n",
    };

    public static TheoryData<string> OutsideSubsetCases => new()
    {
        "a: &x 1\nb: *x\n",                      // anchors and aliases
        "base: {x: 1}\nuse:\n  <<: {y: 2}\n",    // merge keys
        "a: 1\na: 2\n",                          // a duplicate key, which the slow path reports
        "text: first\n  second line\n",          // a multi-line plain scalar
        "a:\tb\n",                               // tabs
        "folded: >\n  a\n  b\n",                 // folded block scalar
        "keep: |+\n  a\n\n",                     // keep chomping
        "indicator: |2\n    a\n",                // explicit indentation
        "q: \"over\n  lines\"\n",                // a quoted scalar over lines
        "tagged: !!str 5\n",                      // tags
        "nested: [a, [b]]\n",                    // nested flow
        "a: b: c\n",                             // an error
        "a: 1\n  b: 2\n",                        // bad indentation
        "- a\nb: 1\n",                            // a mapping after a sequence
        "a: 1\n...\n",                            // a document end marker
        "a: 1\n---\n",                            // an empty last document
        "%YAML 1.2\n---\na: 1\n",                // a directive
        "\ufeffa: 1\n",                          // a byte-order mark
    };

    [Theory]
    [MemberData(nameof(SubsetCases))]
    public void TryRead_SubsetOfYaml_MatchesYamlDotNet(string text)
    {
        var fast = BlockYamlReader.TryRead(text);

        Assert.NotNull(fast);
        var slow = YamlReader.ReadWithYamlDotNet(text);
        Assert.Empty(slow.Problems);
        Assert.Equal(Dump(slow.Documents), Dump(fast));
    }

    [Theory]
    [MemberData(nameof(OutsideSubsetCases))]
    public void TryRead_OutsideTheSubset_GivesUpSoYamlDotNetReadsIt(string text)
    {
        Assert.Null(BlockYamlReader.TryRead(text));
        Assert.Equal(Dump(YamlReader.ReadWithYamlDotNet(text).Documents), Dump(YamlReader.Read(text).Documents));
    }

    [Fact]
    public void TryRead_EveryYamlFileOfTheRepository_MatchesYamlDotNetWhereItReads()
    {
        var root = Golden.RepoRoot();
        var read = new List<string>();
        var mismatches = new StringBuilder();
        foreach (var file in YamlFiles(root))
        {
            var text = File.ReadAllText(file);
            if (BlockYamlReader.TryRead(text) is not { } fast)
            {
                continue;
            }

            var slow = YamlReader.ReadWithYamlDotNet(text);
            var relative = Path.GetRelativePath(root, file);
            read.Add(relative);
            if (slow.Problems.Count > 0)
            {
                mismatches.AppendLine($"{relative}: read fast although YamlDotNet reports {slow.Problems[0].Message}");
            }
            else if (Dump(slow.Documents) is var expected && Dump(fast) is var actual && expected != actual)
            {
                var at = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
                mismatches.AppendLine($"{relative}: differs at\n  yamldotnet: {Excerpt(expected, at)}\n  fast:       {Excerpt(actual, at)}");
            }
        }

        Assert.True(mismatches.Length == 0, mismatches.ToString());

        // The fast path must keep covering what McpFleet reads most: the example fleet and the renderer's own output.
        Assert.Contains(read, f => f.StartsWith("examples/sophia-ai/values/", StringComparison.Ordinal));
        Assert.True(read.Count >= 200, $"only {read.Count} files were read by the fast path");
    }

    [Fact]
    public void TryRead_MutatedRepositoryFiles_NeverThrowsAndMatchesYamlDotNetWhereItReads()
    {
        // Deterministic edits (a character deleted, an indicator or a line break inserted, the text cut short) turn
        // valid files into near-misses: the fast reader must give up on every one that YamlDotNet reads differently.
        var random = new Random(20261125);
        var inserts = new[] { ":", "- ", "\"", "'", "#", "\n", " ", "|", "[", "{", "&a ", "\n  ", "---\n" };
        var failures = new StringBuilder();
        var cases = 0;
        foreach (var file in YamlFiles(Golden.RepoRoot()).Where((_, i) => i % 3 == 0))
        {
            var original = File.ReadAllText(file);
            if (original.Length < 2)
            {
                continue;
            }

            for (var n = 0; n < 12; n++)
            {
                var at = random.Next(original.Length);
                var text = (n % 3) switch
                {
                    0 => original.Remove(at, 1),
                    1 => original.Insert(at, inserts[random.Next(inserts.Length)]),
                    _ => original[..at],
                };
                cases++;
                if (BlockYamlReader.TryRead(text) is not { } fast)
                {
                    continue;
                }

                var slow = YamlReader.ReadWithYamlDotNet(text);
                if (slow.Problems.Count > 0 || Dump(slow.Documents) != Dump(fast))
                {
                    failures.AppendLine($"{Path.GetFileName(file)} edit {n} at {at}: {System.Text.Json.JsonSerializer.Serialize(text[Math.Max(0, at - 40)..Math.Min(text.Length, at + 40)])}");
                }
            }
        }

        Assert.True(failures.Length == 0, $"{cases} cases:\n{failures}");
    }

    // Directories the repository does not own are never entered, not just filtered out afterwards: .tools/ holds
    // installed tools and, while eng/images.sh builds the base image beside the tests, a debootstrap root with /proc
    // mounted, whose entries cannot be read.
    private static readonly string[] s_notOurs = ["bin", "obj", ".tools", ".git", "node_modules"];

    private static IEnumerable<string> YamlFiles(string root)
    {
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal) || Path.GetFileName(file) == "Kustomization")
                {
                    files.Add(file);
                }
            }

            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (Array.IndexOf(s_notOurs, Path.GetFileName(child)) < 0 && !new DirectoryInfo(child).Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    pending.Push(child);
                }
            }
        }

        return files.Order(StringComparer.Ordinal);
    }

    private static string Excerpt(string text, int at) => text[Math.Max(0, at - 60)..Math.Min(text.Length, at + 60)].ReplaceLineEndings("⏎");

    /// <summary>Every fact a caller can see: kinds, values, plainness, positions and entry order.</summary>
    private static string Dump(IEnumerable<YDocument> documents)
    {
        var text = new StringBuilder();
        foreach (var d in documents)
        {
            text.Append($"doc {d.Index} @{d.Line}:{d.Column}\n");
            Dump(d.Root, text, 1);
        }

        return text.ToString();
    }

    private static void Dump(YNode node, StringBuilder text, int depth)
    {
        text.Append(' ', depth * 2).Append($"@{node.Line}:{node.Column} ");
        switch (node)
        {
            case YScalar s:
                text.Append(s.IsPlain ? "plain " : "quoted ").Append(System.Text.Json.JsonSerializer.Serialize(s.Value)).Append('\n');
                break;
            case YSeq q:
                text.Append("seq\n");
                foreach (var item in q.Items)
                {
                    Dump(item, text, depth + 1);
                }

                break;
            case YMap m:
                text.Append("map\n");
                foreach (var (k, v) in m.Entries)
                {
                    Dump(k, text, depth + 1);
                    Dump(v, text, depth + 2);
                }

                break;
        }
    }
}
