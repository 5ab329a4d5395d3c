using System.Threading.RateLimiting;

namespace EdgeProxy.Edge;

/// <summary>
/// The leases <see cref="NginxRateLimiter"/> hands out, shared so that deciding allocates nothing. A refusal carries
/// Retry-After in whole seconds, all the header can say; a refusal waits at most one request's period (60 s at r/m).
/// </summary>
public sealed class NginxRateLimitLease : RateLimitLease
{
    private const int CachedSeconds = 60;
    private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];
    private static readonly NginxRateLimitLease[] RefusedBySeconds =
        [.. Enumerable.Range(0, CachedSeconds + 1).Select(s => new NginxRateLimitLease(false, TimeSpan.FromSeconds(s)))];

    // Boxed once, so reading it allocates nothing.
    private readonly object? _retryAfter;

    private NginxRateLimitLease(bool acquired, TimeSpan? retryAfter)
    {
        IsAcquired = acquired;
        _retryAfter = retryAfter;
    }

    public static NginxRateLimitLease Admitted { get; } = new(true, null);

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterOnly;

    public static NginxRateLimitLease Refused(TimeSpan wait)
    {
        var seconds = (long)Math.Ceiling(wait.TotalSeconds);
        return seconds <= CachedSeconds ? RefusedBySeconds[Math.Max(1, seconds)] : new NginxRateLimitLease(false, TimeSpan.FromSeconds(seconds));
    }

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == MetadataName.RetryAfter.Name ? _retryAfter : null;
        return metadata is not null;
    }

    // Shared instances hold nothing to release.
    protected override void Dispose(bool disposing)
    {
    }
}
