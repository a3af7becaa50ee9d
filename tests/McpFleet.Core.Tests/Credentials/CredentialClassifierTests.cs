using McpFleet.Credentials;

namespace McpFleet.Core.Tests.Credentials;

public sealed class CredentialClassifierTests
{
    [Theory]
    [InlineData("GITHUB_TOKEN", "TOKEN")]
    [InlineData("OPENAI_API_KEY", "KEY")]
    [InlineData("APIKEY", "KEY")]
    [InlineData("DB_PASSWD", "PASS")]
    [InlineData("POSTGRES_PASSWORD", "PASSWORD")]
    [InlineData("client_secret", "SECRET")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", "CREDENTIAL")]
    [InlineData("SSH_PRIVATE_KEY", "PRIVATE")]
    public void NameWord_CredentialName_Matches(string name, string word) => Assert.Equal(word, CredentialClassifier.NameWord(name));

    [Theory]
    [InlineData("LOG_LEVEL")]
    [InlineData("GITHUB_ORG")]
    [InlineData("DATABASE_URL")]
    [InlineData("PORT")]
    public void NameWord_OrdinaryName_Null(string name) => Assert.Null(CredentialClassifier.NameWord(name));

    [Theory]
    [InlineData("postgres://app:hunter2@db:5432/app", "a URL with a password")]
    [InlineData("redis://:pw-123456@cache:6379", "a URL with a password")]
    [InlineData("sk-proj-abcdefghijklmnop", "a known key format (sk-…)")]
    [InlineData("ghp_R2d2C3poL8kE9nM4bV6cX1zA7sQ0wE5rT3yU", "a known key format (ghp_…)")]
    [InlineData("xoxb-1234567890-abcdefghij", "a known key format (xox…)")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "a known key format (AKIA…)")]
    [InlineData("8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92", "a long hex string")]
    [InlineData("aB3dE5fG7hI9jK1lM3nO5pQ7", "a high-entropy string")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "a JSON Web Token")]
    [InlineData("https://hooks.slack.com/services/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", "a URL with a token in it")]
    public void ValueReason_CredentialValue_SaysWhyWithoutTheValue(string value, string reason) =>
        Assert.Equal(reason, CredentialClassifier.ValueReason(value));

    [Theory]
    [InlineData("https://api.gong.io/v2")]
    [InlineData("postgres://db:5432/app")]
    [InlineData("sophia-intel")]
    [InlineData("bge-large-en-v1.5")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("/var/lib/data/cache/index")]
    [InlineData("integration@sophia.example")]
    public void ValueReason_OrdinaryValue_Null(string value) => Assert.Null(CredentialClassifier.ValueReason(value));

    [Theory]
    [InlineData("MYSQL_PWD", "PWD")]
    [InlineData("DB_PW", "PW")]
    [InlineData("REDIS_AUTH", "AUTH")]
    [InlineData("SESSION_COOKIE", "COOKIE")]
    [InlineData("HASH_SALT", "SALT")]
    [InlineData("NGINX_HTPASSWD", "PASSWD")]
    [InlineData("SENTRY_DSN", "DSN")]
    [InlineData("--requirepass", "PASS")]
    [InlineData("--masterauth", "AUTH")]
    [InlineData("apiKey", "KEY")]
    [InlineData("Ddb.password", "PASSWORD")]
    [InlineData("Authorization", "AUTH")]
    public void NameWord_WordsBeyondKeyTokenSecretPassword_Match(string name, string word) =>
        Assert.Equal(word, CredentialClassifier.NameWord(name));

    [Theory]
    [InlineData("DB_PASSWORD_FILE")]
    [InlineData("OAUTH_TOKEN_URL")]
    [InlineData("AUTH_ENABLED")]
    [InlineData("GIT_AUTHOR")]
    [InlineData("TOKENIZER_MODEL")]
    [InlineData("KEYCLOAK_REALM")]
    [InlineData("PASSTHROUGH_HEADERS")]
    [InlineData("--password-file")]
    public void NameWord_PointerOrInnocentWord_Null(string name) => Assert.Null(CredentialClassifier.NameWord(name));

    [Theory]
    [InlineData("PASSWORD_RESET_ENABLED", "true")]
    [InlineData("MCP_SESSION_POOL_MAX_PER_KEY", "10")]
    [InlineData("CORS_ALLOW_CREDENTIALS", "true")]
    [InlineData("AUTH_REQUIRED", "true")]
    [InlineData("SSO_KEYCLOAK_ENABLED", "false")]
    [InlineData("PASSWORD_RESET_RATE_LIMIT", "5")]
    [InlineData("REQUIRE_TOKEN_EXPIRATION", "True")]
    [InlineData("API_KEY", "off")]
    [InlineData("MAX_TOKENS", "128000")]
    [InlineData("TOKEN_RATIO", "0.75")]
    [InlineData("DB_PASSWORD", "")]
    [InlineData("API_TOKEN", "$(API_TOKEN)")]
    [InlineData("API_TOKEN", "${API_TOKEN}")]
    [InlineData("API_TOKEN", "<your token>")]
    public void Classify_BooleanSmallIntegerOrReference_NeverACredential(string name, string value) =>
        Assert.Null(CredentialClassifier.Classify(name, value));

    [Theory]
    [InlineData("DB_PASSWORD", "hunter2", "Name")]
    [InlineData("API_KEYS", "a,b", "Name")]
    [InlineData("DB_PASSWORD", null, "Name")]
    [InlineData("TOKEN_NUMBER", "12345678", "Name")]
    [InlineData("CONN", "Server=db;Password=x1;", "Value")]
    public void Classify_Credential_SaysWhetherTheNameOrTheValueGaveItAway(string name, string? value, string evidence) =>
        Assert.Equal(evidence, CredentialClassifier.Classify(name, value)?.Evidence.ToString());

    [Theory]
    [InlineData("Server=db;User Id=sa;Password=Pa55w0rdX;", "Pa55w0rdX")]
    [InlineData("Driver={ODBC};Uid=sa;Pwd=odbc13;", "odbc13")]
    [InlineData("jdbc:postgresql://db:5432/app?user=app&password=jdbcQ1", "jdbcQ1")]
    [InlineData("jdbc:mysql://app:jdbcU2@db/app", "app:jdbcU2")]
    [InlineData("-Xmx1g -Ddb.password=javaopt-Secret9 -Dx=y", "javaopt-Secret9")]
    [InlineData("host=db user=app password=dsn4 dbname=app", "dsn4")]
    [InlineData("app:godsn5@tcp(db:3306)/app", "app:godsn5")]
    [InlineData("amqp://guest:amqp8@mq:5672/", "guest:amqp8")]
    [InlineData("https://tokenuser12@github.com/org/repo.git", "tokenuser12")]
    [InlineData("Authorization: Bearer hdr9xyz", "hdr9xyz")]
    [InlineData("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz")]
    [InlineData("X-Api-Key: xapikey10", "xapikey10")]
    [InlineData("curl -H 'Bearer tokentoken1'", "tokentoken1")]
    [InlineData("https://api.example.com/v1?api_key=qkey16&q=x", "qkey16")]
    [InlineData("{\"spring.datasource.password\": \"jsonpw17\"}", "jsonpw17")]
    public void FindSpans_CompoundValue_CoversTheCredential(string text, string credential)
    {
        var span = Assert.Single(CredentialClassifier.FindSpans(text));

        Assert.Equal(credential, text.Substring(span.Start, span.Length));
        Assert.DoesNotContain(credential, span.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://app:$(DB_PASSWORD)@db/app")]
    [InlineData("Server=db;Password=$(DB_PASSWORD);")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
    [InlineData("registry:5000/app@sha256:0123")]
    [InlineData("--max-tokens=4096 --auth=none")]
    public void FindSpans_ReferenceCertificateOrSetting_None(string text) => Assert.Empty(CredentialClassifier.FindSpans(text));

    [Fact]
    public void ValueReason_PrivateKeyInsideText_IsAPrivateKey() =>
        Assert.Equal("a private key", CredentialClassifier.ValueReason("key: |\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n"));
}
