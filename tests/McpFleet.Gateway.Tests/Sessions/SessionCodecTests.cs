using System.Security.Cryptography;
using McpFleet.Gateway.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace McpFleet.Gateway.Tests.Sessions;

public sealed class SessionCodecTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Open_SealedBySameKeyForSameCaller_ReturnsTheSession()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var sealer = new SessionCodec(key, TimeSpan.FromHours(1), _time);
        using var opener = new SessionCodec(key, TimeSpan.FromHours(1), _time);
        var session = new GatewaySession("alice", sealer.Now(), "2025-06-18", new() { ["notes"] = "2025-06-18 abc" });
        var opened = opener.Open(sealer.Seal(session), "alice");
        Assert.NotNull(opened);
        Assert.Equal(("alice", "2025-06-18", "2025-06-18 abc"), (opened.Caller, opened.ProtocolVersion, opened.Upstreams["notes"]));
    }

    [Fact]
    public void Open_OtherKeyOtherCallerTamperedOrExpired_Null()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var codec = new SessionCodec(key, TimeSpan.FromHours(1), _time);
        using var other = new SessionCodec(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), _time);
        var id = codec.Seal(new GatewaySession("alice", codec.Now(), "2025-06-18", []));

        Assert.Null(other.Open(id, "alice"));
        Assert.Null(codec.Open(id, "bob"));
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(id);
        bytes[^1] ^= 1;
        Assert.Null(codec.Open(System.Buffers.Text.Base64Url.EncodeToString(bytes), "alice"));
        Assert.Null(codec.Open("not base64url!", "alice"));
        Assert.Null(codec.Open(new string('A', 5000), "alice"));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Null(codec.Open(id, "alice"));
    }

    [Fact]
    public async Task SealAndOpen_ManyRequestsAtOnce_EveryIdOpens()
    {
        // A client's GET stream and its notifications/initialized POST arrive together, each opening the id on its own
        // thread while other clients' initialize seal theirs: one codec serves them all at once.
        using var codec = new SessionCodec(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), _time);
        var ct = TestContext.Current.CancellationToken;
        var workers = Enumerable.Range(0, Math.Max(4, Environment.ProcessorCount * 2)).Select(w => Task.Run(
            () =>
            {
                var failures = 0;
                for (var i = 0; i < 2000; i++)
                {
                    var caller = $"caller-{w}";
                    try
                    {
                        var id = codec.Seal(new GatewaySession(caller, codec.Now(), "2025-11-25", new() { ["notes"] = $"2025-11-25 {w}-{i}" }));
                        if (codec.Open(id, caller)?.Upstreams["notes"] != $"2025-11-25 {w}-{i}")
                        {
                            failures++;
                        }
                    }
                    catch (CryptographicException)
                    {
                        failures++;
                    }
                }

                return failures;
            },
            ct));
        var failed = (await Task.WhenAll(workers)).Sum();
        Assert.Equal(0, failed);
    }

    [Fact]
    public void Seal_SameSessionTwice_DifferentIds()
    {
        using var codec = new SessionCodec(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), _time);
        var session = new GatewaySession("alice", codec.Now(), "2025-06-18", []);
        Assert.NotEqual(codec.Seal(session), codec.Seal(session));
    }
}
