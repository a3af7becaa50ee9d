namespace McpFleet.Contracts.Tests;

/// <summary>
/// One duration syntax for the spec, Compose, the CLI and the proxy (Go's, as Kubernetes reads it), and one way to
/// write a duration in a message.
/// </summary>
public sealed class DurationsTests
{
    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("2.5s", 2.5)]
    [InlineData("1m30s", 90)]
    [InlineData("30s1h", 3630)]
    [InlineData("100us", 0.0001)]
    [InlineData("100µs", 0.0001)]
    [InlineData("1ns", 0.000000001)]
    [InlineData("0s", 0)]
    public void TryParseSeconds_GoDuration_ExactSeconds(string text, double expected)
    {
        Assert.True(Durations.TryParseSeconds(text, allowSeconds: false, out var seconds));
        Assert.Equal((decimal)expected, seconds);
        Assert.True(Durations.IsDuration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("1d")]
    [InlineData("1 h")]
    [InlineData(" 1h")]
    [InlineData("-1h")]
    [InlineData("+1h")]
    [InlineData(".5s")]
    [InlineData("5.s")]
    [InlineData("1h30")]
    [InlineData("1hh")]
    [InlineData("soon")]
    [InlineData("99999999999999999999999999h")]
    public void TryParseSeconds_NotAGoDuration_False(string? text)
    {
        Assert.False(Durations.TryParseSeconds(text, allowSeconds: false, out var seconds));
        Assert.Equal(0m, seconds);
        Assert.False(Durations.IsDuration(text));
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("2.5", 2.5)]
    [InlineData("0", 0)]
    [InlineData("5m", 300)]
    public void TryParse_AllowSeconds_PlainNumberIsSeconds(string text, double expected)
    {
        Assert.True(Durations.TryParse(text, allowSeconds: true, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(expected), duration);
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData("9999999999999999999999")]
    public void TryParse_AllowSecondsButNoNumberOrTooLong_False(string text)
    {
        Assert.False(Durations.TryParse(text, allowSeconds: true, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(90, "1m30s")]
    [InlineData(300, "5m")]
    [InlineData(3600, "1h")]
    [InlineData(5400, "1h30m")]
    [InlineData(5430, "1h30m")]
    [InlineData(0.9, "0s")]
    public void Format_Duration_WholeUnits(double seconds, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(45)]
    [InlineData(300)]
    [InlineData(5400)]
    public void Format_WholeSeconds_ParsesBack(int seconds)
    {
        Assert.True(Durations.TryParse(Durations.Format(TimeSpan.FromSeconds(seconds)), allowSeconds: false, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }
}
