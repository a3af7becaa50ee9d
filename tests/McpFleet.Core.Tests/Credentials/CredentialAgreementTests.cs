using McpFleet.Core.Tests.Linting;
using McpFleet.Import;

namespace McpFleet.Core.Tests.Credentials;

/// <summary>
/// findings.md D13: <c>import compose</c> and the lint rules MCP020 and MCP050 give the same answer to "is this a
/// credential?", because they call one classifier.
/// </summary>
public sealed class CredentialAgreementTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-credential-agreement-").FullName;

    public static TheoryData<string, string, bool> Pairs => new()
    {
        { "PASSWORD_RESET_ENABLED", "true", false },
        { "MCP_SESSION_POOL_MAX_PER_KEY", "10", false },
        { "CORS_ALLOW_CREDENTIALS", "true", false },
        { "AUTH_REQUIRED", "true", false },
        { "SSO_KEYCLOAK_ENABLED", "false", false },
        { "LOG_LEVEL", "debug", false },
        { "GITHUB_ORG", "sophia-intel", false },
        { "OAUTH_TOKEN_URL", "https://auth.example.com/token", false },
        { "DB_PASSWORD_FILE", "/etc/app/db-password", false },
        { "MYSQL_PWD", "tr0ub4dor", true },
        { "REDIS_AUTH", "s3cr3tv4lue", true },
        { "SESSION_COOKIE", "cookieval22", true },
        { "HASH_SALT", "hashsalt44", true },
        { "API_KEY", "abc123notreallysecret", true },
        { "CONN", "Server=db;User Id=sa;Password=Pa55w0rdX;", true },
        { "JAVA_OPTS", "-Xmx1g -Ddb.password=javaopt-Secret9", true },
        { "DATABASE_URL", "postgres://app:hunter2@db/app", true },
        { "EXTRA_HEADERS", "Authorization: Bearer hdrbearer9x", true },
        { "GH", "ghp_R2d2C3poL8kE9nM4bV6cX1zA7sQ0wE5rT3yU", true },
    };

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ImportAndLint_SameNameAndValue_AgreeOnCredential(string name, string value, bool credential)
    {
        // Arrange
        var compose = Path.Combine(_temp, "docker-compose.yml");
        File.WriteAllText(compose, $"services:\n  app:\n    image: r/mcp-app:v1.0.0\n    ports: [\"9001:9001\"]\n    environment:\n      {name}: \"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
        var yamlValue = "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

        // Act
        var imported = ComposeImporter.Import(new ComposeImportOptions { Files = [compose], BaseDirectory = _temp });
        var mcp020 = LintFixtures.LintText($"apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: n}}\nspec:\n  containers:\n  - name: c\n    image: r/c:1.0.0\n    env:\n    - name: {name}\n      value: {yamlValue}\n");
        var mcp050 = LintFixtures.LintText($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cfg, namespace: n}}\ndata:\n  {name}: {yamlValue}\n");

        // Assert
        Assert.True(imported.Success, string.Join("\n", imported.Errors));
        Assert.Equal(credential, imported.Spec!.Servers[0].Secrets.Any(s => s.Name == name));
        Assert.Equal(credential, mcp020.Findings.Any(f => f.RuleId == "MCP020"));
        Assert.Equal(credential, mcp050.Findings.Any(f => f.RuleId == "MCP050"));
    }
}
