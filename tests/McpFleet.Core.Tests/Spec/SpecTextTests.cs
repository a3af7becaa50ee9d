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
    [InlineData("/health", null)]
    [InlineData("/", null)]
    [InlineData("/healthz/", null)]
    [InlineData("/.well-known/ready", null)]
    [InlineData("/a/.../b", null)]
    [InlineData("/v1/health%3Fx;y=1:@!$&'()*+,~", null)]
    [InlineData("", "write a path such as /healthz")]
    [InlineData("healthz", "write '/healthz'")]
    [InlineData("http://x/healthz", "write only the path")]
    [InlineData("/healthz?deep=1", "drop the query '?deep=1'")]
    [InlineData("/healthz#top", "drop the fragment '#top'")]
    [InlineData("/health z", "no spaces")]
    [InlineData("/health\tz", "no spaces")]
    [InlineData("//evil.example/x", "'//'")]
    [InlineData("/a//b", "'//'")]
    [InlineData("/a/./b", "'.' and '..' segments")]
    [InlineData("/a/..", "'.' and '..' segments")]
    [InlineData("/a%2", "'%' starts an escape")]
    [InlineData("/a\"b", "percent-encode it as %22")]
    [InlineData("/{x}", "percent-encode it as %7B")]
    [InlineData("/ü", "percent-encode it as %C3%BC")]
    public void CheckProbePath_Path_ExplainsWhatIsWrongAndAgreesWithThePattern(string path, string? expected)
    {
        var problem = SpecText.CheckProbePath(path);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }

        // The chart's schema uses the pattern alone: it must accept exactly what the validator accepts.
        Assert.Equal(problem is null, System.Text.RegularExpressions.Regex.IsMatch(path, SpecText.ProbePathPattern));
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
