namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D18: a <c>${VAR:?}</c> without a value is fatal only where the import needs the value.</summary>
public sealed class RequiredVariableTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_RequiredVariableFeedsOnlyASecret_WarnsAndImports()
    {
        var result = _project.Import("""
            services:
              gateway:
                image: r/mcp-gateway:v1.0.0
                ports: ["9001:9001"]
                environment:
                  JWT_SECRET_KEY: ${JWT_SECRET_KEY:?set JWT_SECRET_KEY}
                  DATABASE_URL: postgres://app:${DB_PW:?}@db/app
                command: [serve, --token, "${API_TOKEN:?}"]
            """);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(["JWT_SECRET_KEY", "DATABASE_URL", "API_TOKEN"], result.Spec!.Servers[0].Secrets.Select(s => s.Name));
        var warned = InlineCompose.Rows(result, "gateway").Where(r => r.Field.StartsWith("${", StringComparison.Ordinal)).ToList();
        Assert.Equal(["${JWT_SECRET_KEY}", "${DB_PW}", "${API_TOKEN}"], warned.Select(r => r.Field));
        Assert.All(warned, r => Assert.True(r.NeedsAttention));
    }

    [Fact]
    public void Import_RequiredVariableFeedsAPlainValue_FailsWithMci006()
    {
        var result = _project.Import("""
            services:
              gateway:
                image: r/mcp-gateway:v1.0.0
                ports: ["9001:9001"]
                environment:
                  API_HOST: ${API_HOST:?name the API host}
                  JWT_SECRET_KEY: ${JWT_SECRET_KEY:?}
            """);

        Assert.False(result.Success);
        Assert.Equal("docker-compose.yml:6:17: error MCI006: required variable API_HOST is missing a value: name the API host", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Import_RequiredVariableInAServiceNotImported_IsNotChecked()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9001:9001"]
              db:
                image: postgres:16
                environment:
                  POSTGRES_DB: ${POSTGRES_DB:?}
            """);

        Assert.True(result.Success, string.Join("\n", result.Errors));
    }
}
