namespace EdgeProxy.Operations;

/// <summary>
/// A token bucket for log lines: up to <see cref="PerSecond"/> lines a second (bursts of as many), the rest
/// counted so one summary line can say how many were left out and over how long. Hand-written because
/// <c>System.Threading.RateLimiting</c>'s limiters answer per lease and keep no count of what they refused
/// nor since when; this is a few lines under one lock, on a path taken only by rejected traffic.
/// </summary>
public sealed class LogRateBound(int perSecond, TimeProvider time)
{
    private readonly Lock _sync = new();
    private double _tokens = perSecond;
    private long _refilled = time.GetTimestamp();
    private long _suppressed;
    private long _suppressedSince;

    public int PerSecond => perSecond;

    /// <summary>Takes a line's token; false (and the line counted as suppressed) when the bucket is empty.</summary>
    public bool TryTake()
    {
        lock (_sync)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(perSecond, _tokens + time.GetElapsedTime(_refilled, now).TotalSeconds * perSecond);
            _refilled = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            if (_suppressed++ == 0)
            {
                _suppressedSince = now;
            }

            return false;
        }
    }

    /// <summary>The lines suppressed since the last call and the time since the first of them; false when there were none.</summary>
    public bool TryTakeSuppressed(out long count, out TimeSpan over)
    {
        lock (_sync)
        {
            count = _suppressed;
            over = count == 0 ? TimeSpan.Zero : time.GetElapsedTime(_suppressedSince);
            _suppressed = 0;
            return count > 0;
        }
    }
}
