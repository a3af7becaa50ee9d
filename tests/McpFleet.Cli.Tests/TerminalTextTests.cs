namespace McpFleet.Cli.Tests;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text: é, ✓", "plain text: é, ✓")]
    [InlineData("tab\tand\nnewline stay", "tab\tand\nnewline stay")]
    [InlineData("\u001b]0;pwned\u0007\u001b[2J", "\\u001B]0;pwned\\u0007\\u001B[2J")]
    [InlineData("cr\r nul\0 del\u007f c1\u009b", "cr\\u000D nul\\u0000 del\\u007F c1\\u009B")]
    public void Escape_ControlCharacters_BecomeUnicodeEscapes(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }
}
