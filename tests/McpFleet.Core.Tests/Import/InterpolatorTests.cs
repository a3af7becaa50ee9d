using McpFleet.Diagnostics;
using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

public sealed class InterpolatorTests
{
    private static readonly SourceLocation s_at = new("compose.yml", 3, 5);
    private readonly DiagnosticBag _diagnostics = new();

    [Theory]
    [InlineData("${SET}", "value")]
    [InlineData("$SET", "value")]
    [InlineData("a-${SET}-b", "a-value-b")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${UNSET-fallback}", "fallback")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${UNSET:+alt}", "")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("$$SET", "$SET")]
    [InlineData("price $$5", "price $5")]
    [InlineData("no vars", "no vars")]
    public void Interpolate_ComposeSyntax_ExpandsLikeCompose(string text, string expected)
    {
        var (value, _) = Create().Interpolate(text, s_at);

        Assert.Equal(expected, value);
        Assert.Empty(_diagnostics.Items);
    }

    [Fact]
    public void Interpolate_RequiredVariableMissing_ErrorWithMessageAndLocation()
    {
        Create().Interpolate("${UNSET:?set UNSET first}", s_at);

        var error = Assert.Single(_diagnostics.Items);
        Assert.Equal("compose.yml:3:5: error MCI006: required variable UNSET is missing a value: set UNSET first", error.ToString());
    }

    [Fact]
    public void Interpolate_UnsetWithoutDefault_EmptyAndRecordedAsUnset()
    {
        var interpolator = Create();

        var (value, variables) = interpolator.Interpolate("x${UNSET}y", s_at);

        Assert.Equal("xy", value);
        Assert.Equal(["UNSET"], variables);
        Assert.Equal("UNSET", Assert.Single(interpolator.Unset).Name);
    }

    [Fact]
    public void Interpolate_Unclosed_ErrorNamesTheExpressionNotAValue()
    {
        Create().Interpolate("${SET", s_at);

        Assert.Contains("unclosed", Assert.Single(_diagnostics.Items).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolate_UnclosedInLiteralPassword_ErrorQuotesNoValueText()
    {
        Create().Interpolate("Tr0ub4dor&3${xK9", s_at);

        var error = Assert.Single(_diagnostics.Items);
        Assert.Equal("MCI005", error.Code);
        Assert.DoesNotContain("Tr0ub4dor", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xK9", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${URL:?e.g. postgres://app:${API_TOKEN}@db}")]
    [InlineData("${URL:?e.g. $API_TOKEN}")]
    [InlineData("${URL:?use postgres://app:literal-pw-1@db}")]
    public void Interpolate_RequiredMessageCouldHoldASecret_MessageNotShown(string text)
    {
        Create().Interpolate(text, s_at);

        var error = Assert.Single(_diagnostics.Items);
        Assert.Equal("compose.yml:3:5: error MCI006: required variable URL is missing a value", error.ToString());
    }

    [Fact]
    public void Expand_DeferredRequiredVariable_ReturnedNotReported()
    {
        var interpolator = new Interpolator(new Dictionary<string, string>(), _diagnostics, deferRequired: true);

        var result = interpolator.Expand("${JWT_SECRET_KEY:?set it}", s_at);

        Assert.Empty(_diagnostics.Items);
        Assert.Equal(new MissingRequired("JWT_SECRET_KEY", "set it", s_at), Assert.Single(result.Missing));
    }

    [Fact]
    public void Reinterpolate_SecretVariable_BecomesKubernetesReference()
    {
        var value = Create().Reinterpolate("--token=${API_TOKEN} --name ${SET}", s_at, n => n == "API_TOKEN" ? "$(API_TOKEN)" : null);

        Assert.Equal("--token=$(API_TOKEN) --name value", value);
    }

    private Interpolator Create() => new(
        new Dictionary<string, string> { ["SET"] = "value", ["EMPTY"] = "", ["API_TOKEN"] = "tok-123" },
        _diagnostics);
}
