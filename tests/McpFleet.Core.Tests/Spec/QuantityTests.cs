using McpFleet.Spec;

namespace McpFleet.Core.Tests.Spec;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("1Gi", 1073741824d)]
    [InlineData("512Mi", 536870912d)]
    [InlineData("500m", 0.5)]
    [InlineData("1", 1d)]
    [InlineData("1.5", 1.5)]
    [InlineData("2e3", 2000d)]
    [InlineData("1E-3", 0.001)]
    [InlineData("128k", 128000d)]
    [InlineData("1G", 1e9)]
    [InlineData(".5", 0.5)]
    [InlineData("+2", 2d)]
    public void TryParse_KubernetesQuantity_ReturnsItsValue(string text, double expected)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("1GB")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1 Gi")]
    [InlineData("Gi")]
    [InlineData("1.2.3")]
    [InlineData("1gi")]
    [InlineData("1e")]
    [InlineData("1Gi ")]
    [InlineData("0x10")]
    public void TryParse_NotAQuantity_ReturnsFalse(string text) => Assert.False(Quantity.TryParse(text, out _));

    [Theory]
    [InlineData("1GB", "1Gi")]
    [InlineData("512MB", "512Mi")]
    [InlineData("2 Gi", "2Gi")]
    [InlineData("abc", null)]
    public void Suggest_CommonMistake_ReturnsTheFix(string text, string? expected) => Assert.Equal(expected, Quantity.Suggest(text));
}
