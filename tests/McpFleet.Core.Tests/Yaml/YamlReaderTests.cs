using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Yaml;

/// <summary>The shared reader: positions, duplicates, merges, aliases and errors that every YAML consumer relies on.</summary>
public sealed class YamlReaderTests
{
    [Fact]
    public void Read_DuplicateKeys_ReportsEachAndKeepsTheFirst()
    {
        var result = YamlReader.Read("a: 1\nb: 2\na: 3\nc:\n  b: 4\n  b: 5\n");

        var root = Assert.IsType<YMap>(Assert.Single(result.Documents).Root);
        Assert.Equal(["a", "b", "c"], root.Entries.Select(e => e.Key.Value));
        Assert.Equal("1", ((YScalar)root.Entries[0].Value).Value);
        Assert.Collection(
            result.Problems,
            p => Assert.Equal((YamlProblemKind.DuplicateKey, 3, 1, "a", 1), (p.Kind, p.Line, p.Column, p.Key, p.FirstLine)),
            p => Assert.Equal((YamlProblemKind.DuplicateKey, 6, 3, "b", 5), (p.Kind, p.Line, p.Column, p.Key, p.FirstLine)));
        Assert.False(result.Failed);
    }

    [Fact]
    public void Read_KeysAndValues_CarryTheirLineAndColumn()
    {
        var root = (YMap)YamlReader.Read("top:\n  - name: x\n    port: 9000\n").Documents[0].Root;

        var (key, value) = root.Entries[0];
        Assert.Equal((1, 1), (key.Line, key.Column));
        var item = (YMap)((YSeq)value).Items[0];
        Assert.Equal((2, 5), (item.Line, item.Column));
        Assert.Equal((3, 5, 3, 11), (item.Entries[1].Key.Line, item.Entries[1].Key.Column, item.Entries[1].Value.Line, item.Entries[1].Value.Column));
    }

    [Fact]
    public void Read_MergeKeysOn_ExplicitKeysWinAndMergedOnesFollow()
    {
        const string Text = "base: &b {x: 1, y: 2}\nmore: &m {y: 9, z: 3}\nuse:\n  <<: [*b, *m]\n  x: 0\n";

        var use = (YMap)((YMap)YamlReader.Read(Text, mergeKeys: true).Documents[0].Root).Entries[2].Value;

        Assert.Equal(["x=0", "y=2", "z=3"], use.Entries.Select(e => $"{e.Key.Value}={e.Value}"));
    }

    [Fact]
    public void Read_MergeKeysOff_MergeKeyIsAnOrdinaryKey()
    {
        var use = (YMap)((YMap)YamlReader.Read("b: &b {x: 1}\nuse:\n  <<: *b\n").Documents[0].Root).Entries[1].Value;

        Assert.Equal(["<<"], use.Entries.Select(e => e.Key.Value));
    }

    [Fact]
    public void Read_UnknownAlias_ReportsAndReadsOnAsNull()
    {
        var result = YamlReader.Read("a: *nope\nb: 2\n");

        var root = (YMap)result.Documents[0].Root;
        Assert.True(((YScalar)root.Entries[0].Value).IsNull);
        Assert.Equal(2, root.Entries.Count);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((YamlProblemKind.UnknownAlias, 1, 4), (problem.Kind, problem.Line, problem.Column));
    }

    [Fact]
    public void Read_SyntaxErrorInSecondDocument_KeepsTheFirstAndReportsWhere()
    {
        var result = YamlReader.Read("a: 1\n---\nb: [1, 2\nc: 3\n");

        Assert.True(result.Failed);
        Assert.Equal(1, Assert.Single(result.Documents).Index);
        Assert.Equal(YamlProblemKind.Syntax, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void Read_TabIndent_PointsAtTheTab()
    {
        var problem = Assert.Single(YamlReader.Read("a:\n  b: 1\n\tc: 2\n").Problems);

        Assert.Equal((YamlProblemKind.Syntax, 3, 1), (problem.Kind, problem.Line, problem.Column));
        Assert.Contains("tab", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", true, true, false)]
    [InlineData("0x1F", true, true, false)]
    [InlineData("1.5e3", true, false, false)]
    [InlineData(".inf", true, false, false)]
    [InlineData("\"5\"", false, false, false)]
    [InlineData("!!str 5", false, false, false)]
    [InlineData("True", false, false, true)]
    [InlineData("yes", false, false, false)]
    public void Read_Scalars_TypedByYaml12CoreSchema(string text, bool isNumber, bool isInteger, bool isBool)
    {
        var scalar = (YScalar)((YMap)YamlReader.Read("v: " + text).Documents[0].Root).Entries[0].Value;

        Assert.Equal((isNumber, isInteger, isBool), (scalar.IsNumber, scalar.IsInteger, scalar.IsBool));
    }
}
