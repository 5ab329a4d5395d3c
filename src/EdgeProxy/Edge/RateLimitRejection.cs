using System.Threading.RateLimiting;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using Microsoft.AspNetCore.RateLimiting;

namespace EdgeProxy.Edge;

/// <summary>
/// Answers a rate-limited request with NGX_CLOUDCONNECT_LIMIT_REQ_STATUS (read per request, so it reloads) and logs it;
/// under NGX_LIMIT_REQ_DRY_RUN, logs and counts what would have been answered (<see cref="DryRunRateLimiter"/>).
/// </summary>
public static class RateLimitRejection
{
    public static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var state = context.RequestServices.GetRequiredService<ProxyState>();
        var status = state.Current.Settings.LimitReqStatus;
        var info = EdgeRequestInfo.Get(context);
        info.Refusal = RefusalReason.RateLimited;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AdmissionLog.Category);
        EdgeLog.RateLimited(logger, context.Request.Method, context.Request.Path.Value ?? "", info.Client.ToString(), info.Peer.ToString(), info.Route, status, info.TrackingId);
        TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : null;
        await EdgeResponses.WriteAsync(context, status, "rate_limited", "too many requests from this client", retryAfter);
    }

    /// <summary>A refusal NGX_LIMIT_REQ_DRY_RUN let through: the refusal's log line as a dry run, and the dry-run counter.</summary>
    public static void RecordDryRun(HttpContext context, int status)
    {
        var info = EdgeRequestInfo.Get(context);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AdmissionLog.Category);
        context.RequestServices.GetRequiredService<Operations.EdgeMetrics>().DryRunRefusals.WithLabels(nameof(RefusalReason.RateLimited)).Inc();
        EdgeLog.RateLimitDryRun(logger, context.Request.Method, context.Request.Path.Value ?? "", info.Client.ToString(), info.Peer.ToString(), info.Route, status, info.TrackingId);
    }
}
