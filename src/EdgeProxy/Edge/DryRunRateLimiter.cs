using System.Threading.RateLimiting;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_LIMIT_REQ_DRY_RUN around the per-client limiter: a lease it refuses is recorded (logged and counted) and
/// replaced by an admitted one, so the request proceeds. As in nginx, the let-through request does not use up budget.
/// Read from the request's configuration, so the switch reloads.
/// </summary>
public sealed class DryRunRateLimiter(PartitionedRateLimiter<HttpContext> inner, RateLimitRejection rejection) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        LetThroughInDryRun(resource, inner.AttemptAcquire(resource, permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        LetThroughInDryRun(resource, await inner.AcquireAsync(resource, permitCount, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private RateLimitLease LetThroughInDryRun(HttpContext context, RateLimitLease lease)
    {
        if (lease.IsAcquired || context.Features.Get<EdgeRequestInfo>()?.Configuration.Settings is not { RateLimitDryRun: true } settings)
        {
            return lease;
        }

        lease.Dispose();
        rejection.RecordDryRun(context, settings.LimitReqStatus);
        return NginxRateLimitLease.Admitted;
    }
}
