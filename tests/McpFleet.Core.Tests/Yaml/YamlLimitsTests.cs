using System.Diagnostics;
using System.Text;
using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Linting;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Yaml;

/// <summary>
/// Inputs that used to crash or hang every verb that reads YAML (findings D9, D11): nesting tens of thousands of levels
/// deep overflowed the reader's stack, and the duplicate-key check was quadratic in a mapping's size.
/// </summary>
public sealed class YamlLimitsTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-yaml-limits-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>The shapes findings.md measured, at the depths that crashed (and more).</summary>
    public static TheoryData<string, int> DeepShapes => new()
    {
        { "flow-mapping", 12_000 },
        { "flow-mapping", 50_000 },
        { "block-sequence", 30_000 },
        { "block-sequence", 50_000 },
        { "flow-sequence", 50_000 },
        { "block-mapping", 2_000 },
        { "alias-chain", 40 },
    };

    [Theory]
    [MemberData(nameof(DeepShapes))]
    public void Read_NestingFarBeyondTheLimit_ReportsTooDeepAndStops(string shape, int levels)
    {
        var text = "top: x\nnested: " + Deep(shape, levels);

        var result = YamlReader.Read(text);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(YamlProblemKind.TooDeep, problem.Kind);
        Assert.Contains($"{YamlReader.MaxDepth} levels", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line >= 2, $"the problem points at line {problem.Line}");
        Assert.True(result.Failed);
        Assert.Empty(result.Documents);
    }

    [Fact]
    public void Read_NestingAtTheLimit_ReadsAndOneMoreLevelIsReported()
    {
        // The root mapping is level 1; each {a: ...} adds one, and the scalar at the bottom is one more.
        static string Nested(int levels) => new StringBuilder().Insert(0, "{a: ", levels - 2).Append('1').Append('}', levels - 2).ToString();

        var atLimit = YamlReader.Read("a: " + Nested(YamlReader.MaxDepth));
        var beyond = YamlReader.Read("a: " + Nested(YamlReader.MaxDepth + 1));

        Assert.Empty(atLimit.Problems);
        Assert.Equal(YamlProblemKind.TooDeep, Assert.Single(beyond.Problems).Kind);
    }

    [Fact]
    public void Read_AliasesSharingOneShallowAnchor_StillRead()
    {
        // Aliases count as the trees they stand for: a wide use of one anchor is fine, only depth is limited.
        var text = "base: &b {x: {y: {z: 1}}}\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"k{i}: *b\n"));

        var result = YamlReader.Read(text);

        Assert.Empty(result.Problems);
        Assert.Equal(1001, ((YMap)result.Documents[0].Root).Entries.Count);
    }

    [Fact]
    public void Load_ValuesFileNestedTooDeep_ReportsMcf001WithItsPosition()
    {
        var fleet = Fleet("labels: " + Deep("flow-mapping", 12_000) + "\n");

        var result = FleetLoader.Load(fleet);

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(SpecCodes.Syntax, error.Code);
        Assert.Equal(4, error.Location.Line);
        Assert.Null(result.Spec);
    }

    [Theory]
    [InlineData("flow-mapping", 12_000)]
    [InlineData("block-sequence", 30_000)]
    [InlineData("flow-sequence", 50_000)]
    public void Lint_ManifestNestedTooDeep_ReportsMcp001(string shape, int levels)
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\ndata: " + Deep(shape, levels) + "\n";

        var result = new Linter().Lint([new LintSource("deep.yaml", text)], TestContext.Current.CancellationToken);

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP001");
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.Equal("deep.yaml", finding.Location.File);
        Assert.InRange(finding.Location.Line, 4, 5);
        Assert.Contains("deeper than", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ComposeFileNestedTooDeep_ReportsMci001()
    {
        var compose = Path.Combine(_temp, "compose.yml");
        File.WriteAllText(compose, "services:\n  a:\n    image: x\nx-deep: " + Deep("flow-mapping", 12_000) + "\n");

        var result = ComposeImporter.Import(new ComposeImportOptions { Files = [compose], BaseDirectory = _temp });

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ImportCodes.Syntax, 4), (error.Code, error.Location.Line));
        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// 80 000 keys in one mapping: quadratic code took ~20 s (findings D11). The time is compared with reading the same
    /// keys as 80 000 one-key mappings, which no implementation makes quadratic, measured right after it: a machine
    /// loaded by other builds slows both, while a quadratic check makes the large mapping dozens of times slower.
    /// </summary>
    [Theory]
    [InlineData("block")]
    [InlineData("yamldotnet")]
    [InlineData("flow")]
    [InlineData("merge")]
    public void Read_EightyThousandKeys_ReadsInLinearTime(string form)
    {
        const int Keys = 80_000;
        var (text, baseline) = form switch
        {
            "flow" => (
                "env: {" + string.Join(", ", Enumerable.Range(0, Keys).Select(i => $"K{i:D8}: v{i}")) + "}\n",
                "env: [" + string.Join(", ", Enumerable.Range(0, Keys).Select(i => $"K{i:D8}, v{i}")) + "]\n"),
            "merge" => ("base: &b\n" + Block(Keys, "  ") + "use:\n  <<: *b\n" + Block(Keys, "  "), "base:\n" + Block(Keys, "- ") + "use:\n" + Block(Keys, "- ")),
            _ => ("env:\n" + Block(Keys, "  "), "env:\n" + Block(Keys, "- ")),
        };
        var read = form is "yamldotnet" or "merge" ? (Func<string, YamlReadResult>)(t => YamlReader.ReadWithYamlDotNet(t, mergeKeys: true)) : t => YamlReader.Read(t);

        var linear = Best(read, baseline);
        var large = Best(read, text);

        var result = read(text);
        Assert.Empty(result.Problems);
        var last = (YMap)((YMap)result.Documents[0].Root).Entries[^1].Value;
        Assert.Equal(Keys, last.Entries.Count);
        Assert.Equal($"v{Keys - 1}", last.Str($"K{Keys - 1:D8}"));
        Assert.True(large < linear * 5 + TimeSpan.FromMilliseconds(200),
            $"{Keys} keys in one mapping took {large.TotalMilliseconds:F0} ms, {Keys} one-key mappings {linear.TotalMilliseconds:F0} ms");
    }

    private static TimeSpan Best(Func<string, YamlReadResult> read, string text)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            read(text);
            best = TimeSpan.FromTicks(Math.Min(best.Ticks, clock.Elapsed.Ticks));
        }

        return best;
    }

    [Fact]
    public void Read_DuplicateInALargeMapping_IsReportedWithTheFirstLine()
    {
        var text = "env:\n" + Block(100, "  ") + "  K00000042: again\n";

        var result = YamlReader.Read(text);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((YamlProblemKind.DuplicateKey, 102, "K00000042", 44), (problem.Kind, problem.Line, problem.Key, problem.FirstLine));
        Assert.Equal("v42", ((YMap)result.Documents[0].Root).Map("env")!.Str("K00000042"));
    }

    [Fact]
    public void Read_MergeIntoALargeMapping_KeysWrittenHereWin()
    {
        var text = "base: &b\n" + Block(50, "  ") + "use:\n  <<: *b\n  K00000007: mine\n  extra: 1\n";

        var use = ((YMap)YamlReader.Read(text, mergeKeys: true).Documents[0].Root).Map("use")!;

        Assert.Equal(51, use.Entries.Count);
        Assert.Equal(["K00000007", "extra", "K00000000"], use.Entries.Take(3).Select(e => e.Key.Value));
        Assert.Equal("mine", use.Str("K00000007"));
        Assert.Equal("v49", use.Str("K00000049"));
    }

    /// <summary>Lines <c>K00000000: v0</c>…, each after <paramref name="indent"/> (<c>"- "</c> makes one-key mappings in a list).</summary>
    private static string Block(int keys, string indent)
    {
        var sb = new StringBuilder(keys * 20);
        for (var i = 0; i < keys; i++)
        {
            sb.Append(indent).Append('K').Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Append(": v").Append(i).Append('\n');
        }

        return sb.ToString();
    }

    private static string Deep(string shape, int levels)
    {
        var sb = new StringBuilder();
        switch (shape)
        {
            case "flow-mapping":
                return sb.Insert(0, "{a: ", levels).Append('1').Append('}', levels).ToString();
            case "flow-sequence":
                return sb.Append('[', levels).Append(']', levels).ToString();
            case "block-sequence":
                return "\n" + sb.Insert(0, "- ", levels).Append('x').ToString();
            case "block-mapping":
                sb.Append('\n');
                for (var i = 1; i <= levels; i++)
                {
                    sb.Append(' ', i).Append("a:\n");
                }

                return sb.Append(' ', levels + 1).Append("1\n").ToString();
            default:
                // Each anchor nests 30 levels around an alias of the previous one: 40 of them make a 1 200-level tree.
                sb.Append("x\n");
                for (var i = 0; i < levels; i++)
                {
                    var inner = i == 0 ? "1" : $"*a{i - 1}";
                    sb.Append($"a{i}: &a{i} ").Insert(sb.Length, "[", 30).Append(inner).Append(']', 30).Append('\n');
                }

                return sb.ToString();
        }
    }

    private string Fleet(string extraValues)
    {
        var dir = Path.Combine(_temp, "fleet");
        Directory.CreateDirectory(Path.Combine(dir, "values"));
        File.WriteAllText(Path.Combine(dir, "fleet.yaml"), "namespace: rt\ncallers: {app: x}\nphases:\n  - name: core\n    servers: [a]\n");
        File.WriteAllText(Path.Combine(dir, "values", "a.yaml"), "name: a\nport: 9000\nversion: \"1.0.0\"\n" + extraValues);
        return dir;
    }
}
