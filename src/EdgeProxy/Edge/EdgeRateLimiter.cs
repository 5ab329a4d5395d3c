using System.Net;
using System.Threading.RateLimiting;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>
/// Per-client request rate limits with nginx <c>limit_req ... burst=B nodelay</c> semantics, one
/// <see cref="NginxRateLimiter"/> per route and client. ASP.NET Core's partitioned limiter keeps the buckets:
/// the partition key includes the configuration version so a reload applies to new buckets, and a bucket that
/// has drained for 10 s is dropped (it is then the same as a new one), so memory stays bounded by the clients
/// active in the last seconds. <see cref="DryRunRateLimiter"/> wraps it for NGX_LIMIT_REQ_DRY_RUN.
/// </summary>
public static class EdgeRateLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(TimeProvider time, RateLimitRejection rejection)
    {
        // One factory for all partitions, so choosing a partition allocates nothing per request.
        Func<RateKey, RateLimiter> factory = key => new NginxRateLimiter(key.Rate, key.Burst, time);
        return new DryRunRateLimiter(PartitionedRateLimiter.Create<HttpContext, RateKey>(context =>
        {
            var info = context.Features.Get<EdgeRequestInfo>();
            if (info is null || info.Route is not (EdgeRoute.Dr or EdgeRoute.DataConn) || info.Configuration.RateLimitExempt.Contains(info.Client))
            {
                return RateLimitPartition.GetNoLimiter(RateKey.Unlimited);
            }

            var configuration = info.Configuration;
            var settings = configuration.Settings;
            var (rate, burst) = info.Route == EdgeRoute.Dr ? (settings.DrRate, settings.DrBurst) : (settings.UserSyncRate, settings.UserSyncBurst);
            return RateLimitPartition.Get(new RateKey(info.Route, info.Client, configuration.Version, rate, burst), factory);
        }), rejection);
    }

    /// <summary>A bucket per route, client and configuration version; the rate and burst are that version's.</summary>
    public readonly record struct RateKey(EdgeRoute Route, IPAddress? Client, string? Version, RequestRate Rate, int Burst)
    {
        public static RateKey Unlimited => default;
    }
}
