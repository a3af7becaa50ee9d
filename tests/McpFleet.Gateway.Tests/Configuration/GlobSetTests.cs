using McpFleet.Gateway.Configuration;

namespace McpFleet.Gateway.Tests.Configuration;

public sealed class GlobSetTests
{
    [Theory]
    [InlineData("notes_*", "notes_add", true)]
    [InlineData("notes_*", "notes_", true)]
    [InlineData("notes_*", "note_add", false)]
    [InlineData("*_read_*", "filesystem_read_text_file", true)]
    [InlineData("conformance_echo", "conformance_echo", true)]
    [InlineData("conformance_echo", "conformance_echo2", false)]
    [InlineData("?_x", "a_x", true)]
    [InlineData("?_x", "ab_x", false)]
    [InlineData("*", "", true)]
    [InlineData("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Matches_Glob_AsExpected(string glob, string name, bool expected) =>
        Assert.Equal(expected, new GlobSet([glob]).Matches(name));

    [Fact]
    public void Matches_AnyOfSeveral_True() => Assert.True(new GlobSet(["a_*", "b_*"]).Matches("b_tool"));
}
