using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

public sealed class SecretDetectorTests
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
    public void NameMatch_CredentialName_Matches(string name, string word) => Assert.Equal(word, SecretDetector.NameMatch(name));

    [Theory]
    [InlineData("LOG_LEVEL")]
    [InlineData("GITHUB_ORG")]
    [InlineData("DATABASE_URL")]
    [InlineData("PORT")]
    public void NameMatch_OrdinaryName_Null(string name) => Assert.Null(SecretDetector.NameMatch(name));

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
    public void ValueMatch_CredentialValue_SaysWhyWithoutTheValue(string value, string reason) =>
        Assert.Equal(reason, SecretDetector.ValueMatch(value));

    [Theory]
    [InlineData("https://api.gong.io/v2")]
    [InlineData("postgres://db:5432/app")]
    [InlineData("sophia-intel")]
    [InlineData("bge-large-en-v1.5")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("/var/lib/data/cache/index")]
    [InlineData("integration@sophia.example")]
    public void ValueMatch_OrdinaryValue_Null(string value) => Assert.Null(SecretDetector.ValueMatch(value));
}
