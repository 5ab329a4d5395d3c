using System.Threading.RateLimiting;
using EdgeProxy.Admission;
using Microsoft.AspNetCore.RateLimiting;

namespace EdgeProxy.Edge;

/// <summary>Answers a rate-limited request with NGX_CLOUDCONNECT_LIMIT_REQ_STATUS (of the request's configuration, so it reloads) and logs it.</summary>
public sealed class RateLimitRejection(ILoggerFactory loggerFactory)
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
}
