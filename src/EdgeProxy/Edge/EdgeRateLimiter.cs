using System.Net;
using System.Threading.RateLimiting;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>
/// Per-client request rate limits with nginx <c>limit_req ... burst=B nodelay</c> semantics: up to
/// B+1 requests at once, refilled at the configured rate, the rest refused. Built on ASP.NET Core's
/// partitioned token buckets; the partition key includes the configuration version so a reload applies
/// to new buckets, and idle full buckets are dropped by the partitioned limiter, so memory stays bounded
/// by the clients active in the last seconds.
/// </summary>
public static class EdgeRateLimiter
{
    // The partitioned limiter replenishes every 100 ms; shorter periods would be rounded up anyway.
    private static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(100);

    public static PartitionedRateLimiter<HttpContext> Create(ProxyState state) =>
        PartitionedRateLimiter.Create<HttpContext, RateKey>(context =>
        {
            var configuration = state.Current;
            var info = context.Features.Get<EdgeRequestInfo>();
            var settings = configuration.Settings;
            if (info is null || info.Route is not (EdgeRoute.Dr or EdgeRoute.DataConn) || configuration.RateLimitExempt.Contains(info.Client))
            {
                return RateLimitPartition.GetNoLimiter(RateKey.Unlimited);
            }

            var (rate, burst) = info.Route == EdgeRoute.Dr ? (settings.DrRate, settings.DrBurst) : (settings.UserSyncRate, settings.UserSyncBurst);
            return RateLimitPartition.GetTokenBucketLimiter(new RateKey(info.Route, info.Client, configuration.Version), _ => Options(rate, burst));
        });

    public static TokenBucketRateLimiterOptions Options(RequestRate rate, int burst)
    {
        var period = rate.Period / rate.Requests;
        if (period < MinimumPeriod)
        {
            period = MinimumPeriod;
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst + 1,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(rate.Requests * period / rate.Period)),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            // The partitioned limiter's own 100 ms heartbeat replenishes; no timer per client.
            AutoReplenishment = false,
        };
    }

    /// <summary>A bucket per route, client and configuration version.</summary>
    public readonly record struct RateKey(EdgeRoute Route, IPAddress? Client, string? Version)
    {
        public static RateKey Unlimited => default;
    }
}
