using McpFleet.Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Federation;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpFleet.Gateway.Tests.Auth;

public sealed class JwtValidatorTests : IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly UpstreamHttpClient _http = new();
    private readonly JwtValidator _validator;

    public JwtValidatorTests()
    {
        var jwks = Path.Combine(Directory.CreateTempSubdirectory().FullName, "jwks.json");
        File.WriteAllText(jwks, _tokens.Jwks());
        var settings = new JwtSettings(TestTokens.Issuer, TestTokens.Audience, jwks, null, "sub", TestTokens.Audience);
        _validator = new JwtValidator(settings, new JwksSource(settings, _http, TimeProvider.System, NullLogger<JwksSource>.Instance), TimeProvider.System);
    }

    [Fact]
    public async Task Validate_GoodToken_CallerIsSubject()
    {
        var (caller, error) = await _validator.ValidateAsync(_tokens.Token("alice"), TestContext.Current.CancellationToken);
        Assert.Equal("alice", caller);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("audience", "wrong audience")]
    [InlineData("issuer", "wrong issuer")]
    [InlineData("expired", "the token expired")]
    [InlineData("none", "'none' is not accepted")]
    [InlineData("HS256", "'HS256' is not accepted")]
    [InlineData("garbage", "not a signed JWT")]
    public async Task Validate_BadToken_Refused(string what, string expected)
    {
        var token = what switch
        {
            "audience" => _tokens.Token("alice", audience: "other"),
            "issuer" => _tokens.Token("alice", issuer: "https://other"),
            "expired" => _tokens.Token("alice", expiresIn: TimeSpan.FromMinutes(-5)),
            "none" => _tokens.Token("alice", alg: "none"),
            "HS256" => _tokens.Token("alice", alg: "HS256"),
            _ => "garbage",
        };
        var (caller, error) = await _validator.ValidateAsync(token, TestContext.Current.CancellationToken);
        Assert.Null(caller);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SignedByAnotherKey_Refused()
    {
        using var other = new TestTokens();
        var (caller, error) = await _validator.ValidateAsync(other.Token("alice"), TestContext.Current.CancellationToken);
        Assert.Null(caller);
        Assert.Contains("does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ManyCallersAtOnce_EveryTokenJudgedAlone()
    {
        // The JWKS keys are shared by every request: concurrent verifies must not disturb each other (as one shared
        // AesGcm once did for session ids). Good and foreign-signed tokens are mixed so a corrupted verify would show
        // as a refusal of a good one or an acceptance of a bad one.
        using var other = new TestTokens();
        var tokens = Enumerable.Range(0, 400).Select(i => (Good: i % 3 != 0, Name: $"caller{i}")).ToList();
        var signed = tokens.Select(t => t.Good ? _tokens.Token(t.Name) : other.Token(t.Name)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mine = new List<(int Index, string? Caller)>();
            for (var i = worker; i < signed.Count; i += 8)
            {
                var (caller, _) = await _validator.ValidateAsync(signed[i], TestContext.Current.CancellationToken);
                mine.Add((i, caller));
            }

            return mine;
        })));

        foreach (var (index, caller) in results.SelectMany(r => r))
        {
            Assert.Equal(tokens[index].Good ? tokens[index].Name : null, caller);
        }
    }

    [Fact]
    public async Task Validate_FirstCallersWhileTheJwksUrlIsFetched_AllWaitForTheKeys()
    {
        var fetches = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var idp = builder.Build();
        idp.MapGet("/jwks", async () =>
        {
            Interlocked.Increment(ref fetches);
            await Task.Delay(300); // a slow identity provider: the other callers arrive while this runs
            return Results.Text(_tokens.Jwks(), "application/json");
        });
        await idp.StartAsync(TestContext.Current.CancellationToken);
        var settings = new JwtSettings(TestTokens.Issuer, TestTokens.Audience, null, new Uri(idp.Urls.First() + "/jwks"), "sub", TestTokens.Audience);
        using var source = new JwksSource(settings, _http, TimeProvider.System, NullLogger<JwksSource>.Instance);
        var validator = new JwtValidator(settings, source, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => validator.ValidateAsync(_tokens.Token($"caller{i}"), TestContext.Current.CancellationToken).AsTask())));

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(1, fetches);
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _http.Dispose();
    }
}
