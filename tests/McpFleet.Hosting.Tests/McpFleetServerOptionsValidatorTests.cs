namespace McpFleet.Hosting.Tests;

/// <summary>Validation of <see cref="McpFleetServerOptions"/> at start, in process.</summary>
public sealed class McpFleetServerOptionsValidatorTests
{
    [Theory]
    [InlineData("""{ "name": "notes" }""", "'version' is required")]
    [InlineData("""{ "version": "1.0.0" }""", "'name' is required")]
    [InlineData("""{ "name": "notes", "version": "1", "sessionMode": "sticky" }""", "sessionMode 'sticky' is not one of")]
    [InlineData("{ \"name\": \"notes\",\n  \"version\": }", ":2:")]
    public void Validate_BadConfig_FailsNamingFileAndField(string json, string expected)
    {
        using var file = new TempConfig(json);
        var result = new McpFleetServerOptionsValidator().Validate(null, TestOptions.Configure(file.Path, []));
        Assert.True(result.Failed);
        Assert.Contains(file.Path, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadPortsAndMissingExplicitFile_Fail()
    {
        var missing = TestOptions.Configure("/nonexistent/server-config.json", new() { ["SERVER_PORT"] = "http" });
        var result = new McpFleetServerOptionsValidator().Validate(null, missing);
        Assert.Contains("/nonexistent/server-config.json: the server config file does not exist", result.FailureMessage, StringComparison.Ordinal);

        using var file = new TempConfig("""{ "name": "notes", "version": "1.0.0" }""");
        var same = TestOptions.Configure(file.Path, new() { ["SERVER_PORT"] = "9464" });
        Assert.Contains("MetricsPort 9464 must be a TCP port different from the MCP port 9464", new McpFleetServerOptionsValidator().Validate(null, same).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("SERVER_PORT: 'http' is not a TCP port", new McpFleetServerOptionsValidator().Validate(null, TestOptions.Configure(file.Path, new() { ["SERVER_PORT"] = "http" })).FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",")]
    [InlineData(" , ")]
    [InlineData(",,\t,")]
    public void Validate_ApiKeysSetButEmpty_FailsClosed(string keys)
    {
        using var file = new TempConfig("""{ "name": "notes", "version": "1.0.0" }""");
        var options = TestOptions.Configure(file.Path, new() { [RuntimeContract.EnvironmentVariables.ApiKeys] = keys });

        var result = new McpFleetServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("MCP_API_KEYS is set but holds no key", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ApiKeysUnsetOrWithKeys_Succeeds()
    {
        using var file = new TempConfig("""{ "name": "notes", "version": "1.0.0" }""");
        var unset = TestOptions.Configure(file.Path, []);
        var two = TestOptions.Configure(file.Path, new() { [RuntimeContract.EnvironmentVariables.ApiKeys] = " a , ,b " });

        Assert.Null(unset.ApiKeyHashes);
        Assert.True(new McpFleetServerOptionsValidator().Validate(null, unset).Succeeded);
        Assert.Equal(2, two.ApiKeyHashes!.Length);
        Assert.True(new McpFleetServerOptionsValidator().Validate(null, two).Succeeded);
    }
}
