using System.Threading.RateLimiting;
using McpFleet.Gateway.Configuration;

namespace McpFleet.Gateway.Auth;

/// <summary>
/// A token bucket per caller (<see cref="PartitionedRateLimiter"/>): a caller that sends too much gets 429 with
/// <c>Retry-After</c>, the others are unaffected. Requests never queue: a refused request costs nothing.
/// </summary>
internal sealed class CallerRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Caller> _limiter = PartitionedRateLimiter.Create<Caller, string>(static caller =>
        caller.RateLimit is { } limit
            ? RateLimitPartition.GetTokenBucketLimiter(caller.RateKey, _ => Options(limit))
            : RateLimitPartition.GetNoLimiter(caller.RateKey));

    /// <summary>Takes one request from the caller's bucket.</summary>
    /// <param name="caller">The caller.</param>
    /// <returns>Null when the request may go on, else how long the caller should wait.</returns>
    public TimeSpan? TryAcquire(Caller caller)
    {
        if (caller.RateLimit is not { } limit)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? retryAfter
            : TimeSpan.FromSeconds(1 / limit.RequestsPerSecond);
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    private static TokenBucketRateLimiterOptions Options(RateLimitSettings limit)
    {
        // Refill in small steps (at most every 100 ms) so a burst is not followed by a full second of refusals.
        var (tokens, period) = limit.RequestsPerSecond >= 10
            ? ((int)Math.Round(limit.RequestsPerSecond / 10), TimeSpan.FromMilliseconds(100))
            : (1, TimeSpan.FromSeconds(1 / limit.RequestsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
