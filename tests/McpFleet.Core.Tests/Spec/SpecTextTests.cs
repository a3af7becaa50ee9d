using McpFleet.Spec.Validation;

namespace McpFleet.Core.Tests.Spec;

public sealed class SpecTextTests
{
    [Theory]
    [InlineData("ai_memory", "ai-memory")]
    [InlineData("ELIMINATED", "eliminated")]
    [InlineData("ELIMINATED_unified", "eliminated-unified")]
    [InlineData("gong_v2", "gong-v2")]
    [InlineData("_lambda__labs_", "lambda-labs")]
    [InlineData("figma.context", "figma-context")]
    public void SuggestDnsLabel_DocumentName_ReturnsAValidLabel(string name, string expected)
    {
        var suggestion = SpecText.SuggestDnsLabel(name);

        Assert.Equal(expected, suggestion);
        Assert.True(SpecText.IsDnsLabel(suggestion));
    }

    [Theory]
    [InlineData("2.0.0", null)]
    [InlineData("2.1.0-rc.1", null)]
    [InlineData("v2.0.0", "drop the leading 'v'")]
    [InlineData("2.0", "write \"2.0.0\"")]
    [InlineData("2", "write \"2.0.0\"")]
    [InlineData("02.0.0", "expected MAJOR.MINOR.PATCH[-prerelease]")]
    [InlineData("1.0.0+build.5", "build metadata '+build.5'")]
    public void CheckVersion_Version_ExplainsWhatIsWrong(string version, string? expected)
    {
        var problem = SpecText.CheckVersion(version);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("prot", "port")]
    [InlineData("depends_on", "dependsOn")]
    [InlineData("DependsOn", "dependsOn")]
    [InlineData("replica", "replicas")]
    [InlineData("flavour", null)]
    [InlineData("ver", "version")]
    public void Closest_Typo_FindsTheIntendedKey(string typo, string? expected) =>
        Assert.Equal(expected, SpecText.Closest(typo, ["port", "dependsOn", "replicas", "name", "version"]));

    [Theory]
    [InlineData("GONG_API_KEY", true)]
    [InlineData("_private", true)]
    [InlineData("gong-api-key", false)]
    [InlineData("1PASSWORD", false)]
    [InlineData("", false)]
    public void IsEnvName_Name_FollowsThePosixShape(string name, bool expected) => Assert.Equal(expected, SpecText.IsEnvName(name));
}
