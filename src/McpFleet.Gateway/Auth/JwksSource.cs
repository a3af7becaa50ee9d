using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Federation;
using Microsoft.Extensions.Logging;

namespace McpFleet.Gateway.Auth;

/// <summary>
/// The signing keys JWTs are checked against: a JWKS file (read again when it changes, as a mounted Secret does) or a
/// JWKS URL (read at the first token, every hour, and when a token names a <c>kid</c> it does not have, at most once
/// every 30 s so forged kids cannot make the gateway hammer the identity provider).
/// </summary>
internal sealed partial class JwksSource(JwtSettings settings, UpstreamHttpClient http, TimeProvider timeProvider, ILogger<JwksSource> logger) : IDisposable
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_minRefetch = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private IReadOnlyList<JsonWebKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private long _fileTicks;

    /// <summary>Returns the keys that may have signed a token with <paramref name="keyId"/>.</summary>
    /// <param name="keyId">The token's <c>kid</c>, or null.</param>
    /// <param name="cancellationToken">Cancels a fetch.</param>
    /// <returns>The candidate keys.</returns>
    public async ValueTask<IReadOnlyList<JsonWebKey>> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var keys = Volatile.Read(ref _keys);
        var known = keyId is null ? keys.Count > 0 : keys.Any(k => k.Id == keyId);
        if (NeedsLoad(now, known))
        {
            await LoadAsync(now, known, cancellationToken).ConfigureAwait(false);
        }
        else if (!known && _loading.CurrentCount == 0)
        {
            // A load is running (the first fetch of a JWKS URL, say): wait for its keys rather than refuse the token.
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            _loading.Release();
        }

        // Read again either way: another request may have loaded them since the first read (the keys are published
        // before the file time that makes NeedsLoad false).
        keys = Volatile.Read(ref _keys);

        return keyId is null ? keys : [.. keys.Where(k => k.Id == keyId || k.Id is null)];
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    private bool NeedsLoad(DateTimeOffset now, bool known)
    {
        if (settings.JwksFile is { } file)
        {
            return SafeWriteTime(file).Ticks != Volatile.Read(ref _fileTicks);
        }

        var age = now - _loadedAt;
        return age > s_refresh || (!known && age > s_minRefetch);
    }

    private async Task LoadAsync(DateTimeOffset now, bool known, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        DateTime? fileTime = null;
        try
        {
            if (!NeedsLoad(now, known))
            {
                return; // another request loaded them meanwhile
            }

            byte[] json;
            if (settings.JwksFile is { } file)
            {
                // The new write time is published only once the keys are (below, or on failure): a request that saw it
                // early would skip the load and find no keys yet.
                fileTime = SafeWriteTime(file);
                json = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _loadedAt = now; // also on failure: the next try waits its turn
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                json = await http.Client.GetByteArrayAsync(settings.JwksUrl, timeout.Token).ConfigureAwait(false);
            }

            var keys = JsonWebKeys.Parse(json);
            Volatile.Write(ref _keys, keys);
            LogLoaded(logger, keys.Count, settings.JwksFile ?? settings.JwksUrl?.ToString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or FormatException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Keep the keys there were: an identity provider that blips must not lock every caller out.
            LogLoadFailed(logger, settings.JwksFile ?? settings.JwksUrl?.ToString(), ex.Message);
        }
        finally
        {
            if (fileTime is { } time)
            {
                Volatile.Write(ref _fileTicks, time.Ticks);
            }

            _loading.Release();
        }
    }

    private static DateTime SafeWriteTime(string file)
    {
        try
        {
            return File.GetLastWriteTimeUtc(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    [LoggerMessage(400, LogLevel.Information, "Loaded {Count} JWT signing keys from {Source}")]
    private static partial void LogLoaded(ILogger logger, int count, string? source);

    [LoggerMessage(401, LogLevel.Warning, "Could not load the JWT signing keys from {Source} (keeping the ones there were): {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string? source, string reason);
}
