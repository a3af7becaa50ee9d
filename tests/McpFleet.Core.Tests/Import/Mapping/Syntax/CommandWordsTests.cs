using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Core.Tests.Import.Mapping.Syntax;

public sealed class CommandWordsTests
{
    [Theory]
    [InlineData("", "-pmysqlflag3", "mysqlflag3")]
    [InlineData("--auth", "cmdauth4", "cmdauth4")]
    [InlineData("", "--db-password=eqpw5", "eqpw5")]
    [InlineData("--requirepass", "rp6", "rp6")]
    [InlineData("-u", "admin:curlpw9", "admin:curlpw9")]
    [InlineData("", "-Ddb.password=cmdjava22", "cmdjava22")]
    [InlineData("", "sk-proj-4fJq9ZtX2mLk8VbN", "sk-proj-4fJq9ZtX2mLk8VbN")]
    public void FindSecrets_CredentialWord_CoversTheCredential(string previous, string word, string credential)
    {
        var secret = Assert.Single(CommandWords.FindSecrets(previous, word));

        Assert.Equal(credential, word.Substring(secret.Start, secret.Length));
    }

    [Theory]
    [InlineData("", "-p9000:9000")]
    [InlineData("", "-p127.0.0.1:9000:9000/tcp")]
    [InlineData("--auth", "--port")]
    [InlineData("--auth", "true")]
    [InlineData("--token", "$(API_TOKEN)")]
    [InlineData("--max-tokens", "4096")]
    [InlineData("", "--log=info")]
    public void FindSecrets_PortFlagOrReference_None(string previous, string word) => Assert.Empty(CommandWords.FindSecrets(previous, word));

    [Fact]
    public void FindSecrets_Script_FindsEveryOccurrenceOfEachCredential()
    {
        const string Script = "curl -H \"Authorization: Bearer entrybearer11\" http://x && login --password rep23; echo rep23";

        var redacted = CommandWords.Redact(Script, CommandWords.FindSecrets("-c", Script), (n, _) => $"$(S{n})");

        Assert.Equal("curl -H \"Authorization: Bearer $(S0)\" http://x && login --password $(S1); echo $(S1)", redacted);
    }

    [Fact]
    public void FindSecrets_ScriptWordChangedByQuoting_WholeScriptIsTheSecret()
    {
        const string Script = "login --password \"a\\\"b-quoted\"";

        var secret = Assert.Single(CommandWords.FindSecrets("-c", Script));

        Assert.Equal((0, Script.Length), (secret.Start, secret.Length));
    }

    [Fact]
    public void Shape_Command_KeepsProgramFlagsAndReferencesHidesValues()
    {
        string[] words = ["mcp-proxy", "--sse-port=8383", "uvx", "mcp-server-fetch", "-p$(ARGS_4_SECRET)", "-Xmx1g", "--auth", "$(ARGS_7_SECRET)", "--"];

        Assert.Equal("mcp-proxy --sse-port=$(ARGS_1) $(ARGS_2) $(ARGS_3) -p$(ARGS_4_SECRET) -X$(ARGS_5) --auth $(ARGS_7_SECRET) --", CommandWords.Shape(words, "ARGS"));
    }
}
