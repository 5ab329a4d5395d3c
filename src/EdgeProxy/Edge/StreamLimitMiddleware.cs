using EdgeProxy.Admission;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT: concurrent HTTP/2 streams per client, across its connections. As nginx's
/// limit_conn does for HTTP/2 (each stream counts as a connection), a stream over the limit is answered with
/// NGX_LIMIT_CONN_STATUS, counted and logged, before it reaches a node. Under NGX_LIMIT_CONN_DRY_RUN it is
/// forwarded, and logged and counted as a dry run.
/// </summary>
public sealed class StreamLimitMiddleware(RequestDelegate next, Operations.EdgeMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ConnectionCounter _streams = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger(AdmissionLog.Category);

    // Requests the limit does not apply to pass straight through, without an async state machine of their own.
    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            return next(context);
        }

        var info = EdgeRequestInfo.Get(context);
        var configuration = info.Configuration;
        return configuration.RateLimitExempt.Contains(info.Client)
            ? next(context)
            : InvokeLimitedAsync(context, info, configuration.Settings);
    }

    private async Task InvokeLimitedAsync(HttpContext context, EdgeRequestInfo info, EdgeProxySettings settings)
    {
        var limit = settings.Http2StreamLimit;
        var status = settings.ConnectionLimitStatus;

        // A dry run takes a slot whatever the count, so the counts it logs are those the limit would see.
        if (!_streams.TryAcquire(info.Client, settings.ConnectionLimitDryRun ? int.MaxValue : limit, out var open))
        {
            info.Refusal = RefusalReason.StreamLimit;
            EdgeLog.StreamRefused(_logger, info.Client.ToString(), status, open, limit);
            await EdgeResponses.WriteAsync(context, status, "stream_limited", "too many concurrent requests from this client");
            return;
        }

        if (open >= limit)
        {
            metrics.DryRunRefusals.WithLabels(nameof(RefusalReason.StreamLimit)).Inc();
            EdgeLog.StreamLimitDryRun(_logger, info.Client.ToString(), status, open, limit);
        }

        try
        {
            await next(context);
        }
        finally
        {
            _streams.Release(info.Client);
        }
    }
}
