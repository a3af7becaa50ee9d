using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Core.Tests.Import.Mapping.Syntax;

/// <summary>
/// The unit rule: Compose byte sizes (docker/go-units RAMInBytes) use powers of 1024 for k, m, g, t in any case,
/// with or without a trailing b; the importer writes the exact byte count with the largest binary suffix (Ki, Mi,
/// Gi, Ti) that divides it, else plain bytes. CPUs are cores: whole numbers stay whole, the rest become millicores.
/// </summary>
public sealed class ComposeUnitsTests
{
    [Theory]
    [InlineData("512M", "512Mi")]
    [InlineData("512m", "512Mi")]
    [InlineData("512mb", "512Mi")]
    [InlineData("1.5G", "1536Mi")]
    [InlineData("1.5g", "1536Mi")]
    [InlineData("2G", "2Gi")]
    [InlineData("2048M", "2Gi")]
    [InlineData("100k", "100Ki")]
    [InlineData("100KB", "100Ki")]
    [InlineData("1t", "1Ti")]
    [InlineData("1073741824", "1Gi")]
    [InlineData("1000", "1000")]
    [InlineData("1536b", "1536")]
    [InlineData("0.5k", "512")]
    public void TryMemory_ComposeSize_ExactBinaryQuantity(string compose, string expected)
    {
        Assert.True(ComposeUnits.TryMemory(compose, out var quantity, out var rounded));
        Assert.Equal(expected, quantity);
        Assert.False(rounded);
    }

    [Fact]
    public void TryMemory_FractionOfAByte_RoundsUpAndSaysSo()
    {
        Assert.True(ComposeUnits.TryMemory("1.3k", out var quantity, out var rounded));
        Assert.Equal("1332", quantity);
        Assert.True(rounded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-1G")]
    [InlineData("1.5Gi")]
    public void TryMemory_NotASize_False(string compose) => Assert.False(ComposeUnits.TryMemory(compose, out _, out _));

    [Theory]
    [InlineData("0.5", "500m")]
    [InlineData("0.25", "250m")]
    [InlineData("1", "1")]
    [InlineData("2.0", "2")]
    [InlineData("1.25", "1250m")]
    [InlineData("3.5", "3500m")]
    public void TryCpu_Cores_KubernetesQuantity(string compose, string expected)
    {
        Assert.True(ComposeUnits.TryCpu(compose, out var quantity, out _));
        Assert.Equal(expected, quantity);
    }

    [Fact]
    public void TryCpu_BelowAMillicore_RoundsUp()
    {
        Assert.True(ComposeUnits.TryCpu("0.0005", out var quantity, out var rounded));
        Assert.Equal("1m", quantity);
        Assert.True(rounded);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    [InlineData("500ms", 1)]
    public void TryDurationSeconds_ComposeDuration_WholeSecondsRoundedUp(string compose, int expected)
    {
        Assert.True(ComposeUnits.TryDurationSeconds(compose, out var seconds));
        Assert.Equal(expected, seconds);
    }

    [Fact]
    public void SplitShellWords_QuotesAndEscapes_SplitLikeCompose()
    {
        Assert.Equal(
            ["python", "-m", "app", "--name", "Engineering Docs", "it's", "", "a\"b"],
            ComposeUnits.SplitShellWords("python -m app --name \"Engineering Docs\" 'it'\\''s' \"\" \"a\\\"b\""));
    }
}
