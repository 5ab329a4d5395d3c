using System.Threading.RateLimiting;
using EdgeProxy.Admission;
using Microsoft.AspNetCore.RateLimiting;

namespace EdgeProxy.Edge;

/// <summary>
/// Answers a rate-limited request with NGX_CLOUDCONNECT_LIMIT_REQ_STATUS (of the request's configuration, so it reloads)
/// and logs it; under NGX_LIMIT_REQ_DRY_RUN, logs and counts what would have been answered (<see cref="DryRunRateLimiter"/>).
/// </summary>
public sealed class RateLimitRejection(ILoggerFactory loggerFactory, Operations.EdgeMetrics metrics)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(AdmissionLog.Category);

    public async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var info = EdgeRequestInfo.Get(context);
        var status = info.Configuration.Settings.LimitReqStatus;
        info.Refusal = RefusalReason.RateLimited;
        EdgeLog.RateLimited(_logger, context.Request.Method, context.Request.Path.Value ?? "", info.Client.ToString(), info.Peer.ToString(), info.Route, status, info.TrackingId);
        TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : null;
        await EdgeResponses.WriteAsync(context, status, "rate_limited", "too many requests from this client", retryAfter);
    }

    /// <summary>A refusal NGX_LIMIT_REQ_DRY_RUN let through: the refusal's log line as a dry run, and the dry-run counter.</summary>
    public void RecordDryRun(HttpContext context, int status)
    {
        var info = EdgeRequestInfo.Get(context);
        metrics.DryRunRefusals.WithLabels(nameof(RefusalReason.RateLimited)).Inc();
        EdgeLog.RateLimitDryRun(_logger, context.Request.Method, context.Request.Path.Value ?? "", info.Client.ToString(), info.Peer.ToString(), info.Route, status, info.TrackingId);
    }
}
