using System.Threading.RateLimiting;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>
/// One client's nginx <c>limit_req rate=R burst=B nodelay</c>: a leaky bucket whose "excess" drains at R and
/// is computed on acquire from an injected <see cref="TimeProvider"/>, so no timer runs.
/// Hand-written because <see cref="TokenBucketRateLimiter"/> refills only on the partitioned limiter's 100 ms
/// heartbeat and caps at B+1 tokens, so with a small burst it admits at most B+1 per 100 ms (12r/s burst 0 gives 10 r/s).
/// </summary>
/// <remarks>
/// nginx's arithmetic (<c>excess = max(0, excess - R × elapsed + 1)</c>, refuse when <c>excess &gt; B</c>), scaled to
/// integers: one request costs the rate's period in timestamp ticks and a tick drains the request count, so
/// nothing is rounded. nginx counts whole milliseconds; timestamp ticks keep rates such as 333r/s exact with a
/// zero burst, where whole milliseconds would admit one request per 4 ms (250 r/s).
/// </remarks>
public sealed class NginxRateLimiter : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _rate;
    private readonly long _cost;
    private readonly long _limit;
    private readonly long _drainAll;
    private readonly int _burst;
    private readonly Lock _lock = new();
    private long _excess;
    private long _last;
    private long _admittedCount;
    private long _refusedCount;

    public NginxRateLimiter(RequestRate rate, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate.Requests);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rate.Period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        _time = time;
        _rate = rate.Requests;
        _cost = checked((long)Math.Round(rate.Period.TotalSeconds * time.TimestampFrequency));
        _burst = burst;
        _limit = checked(_cost * burst);
        // Past this many ticks any state has drained to empty; capping keeps rate × elapsed from overflowing.
        _drainAll = (_limit + _cost + _rate - 1) / _rate;
        // A new limiter is an empty one: as if its last request were one interval ago and nothing were left.
        _last = time.GetTimestamp() - (_cost + _rate - 1) / _rate;
    }

    /// <summary>How long the bucket has been empty, i.e. indistinguishable from a new one; null while it drains.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var emptyAt = _last + (_excess + _cost + _rate - 1) / _rate;
                var now = _time.GetTimestamp();
                return now >= emptyAt ? _time.GetElapsedTime(emptyAt, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = AvailableUnsynchronized(_time.GetTimestamp()),
                TotalSuccessfulLeases = _admittedCount,
                TotalFailedLeases = _refusedCount,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _burst + 1);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (permitCount == 0)
            {
                return AvailableUnsynchronized(now) > 0 ? NginxRateLimitLease.Admitted : Refuse(now, 1);
            }

            var excess = Math.Max(0, _excess - Drained(now) + permitCount * _cost);
            if (excess > _limit)
            {
                _refusedCount++;
                return Refuse(now, permitCount);
            }

            _excess = excess;
            _last = Math.Max(_last, now);
            _admittedCount++;
            return NginxRateLimitLease.Admitted;
        }
    }

    // Nothing queues: nodelay admits or refuses at once.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private long Drained(long now)
    {
        var elapsed = Math.Max(0, now - _last);
        return elapsed >= _drainAll ? _limit + _cost : elapsed * _rate;
    }

    private long AvailableUnsynchronized(long now)
    {
        var drainedExcess = _excess - Drained(now);
        return drainedExcess + _cost <= 0 ? _burst + 1 : Math.Max(0, (_limit - drainedExcess) / _cost);
    }

    private NginxRateLimitLease Refuse(long now, int permitCount)
    {
        // Admitted again once excess - rate × wait + cost × permits fits the burst.
        var needed = _excess - Drained(now) + permitCount * _cost - _limit;
        var wait = (needed + _rate - 1) / _rate;
        return NginxRateLimitLease.Refused(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency));
    }
}
