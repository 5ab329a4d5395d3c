using EdgeProxy.Admission;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT: concurrent HTTP/2 streams per client, across its connections. A
/// stream over the limit is reset with REFUSED_STREAM (safe for the client to retry), counted and logged.
/// </summary>
public sealed class StreamLimitMiddleware(RequestDelegate next, ILoggerFactory loggerFactory)
{
    private const int RefusedStream = 0x7;

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
            : InvokeLimitedAsync(context, info, configuration.Settings.Http2StreamLimit);
    }

    private async Task InvokeLimitedAsync(HttpContext context, EdgeRequestInfo info, int limit)
    {
        if (!_streams.TryAcquire(info.Client, limit, out var open))
        {
            info.Refusal = RefusalReason.StreamLimit;
            EdgeLog.StreamRefused(_logger, info.Client.ToString(), open, limit);
            if (context.Features.Get<IHttpResetFeature>() is { } reset)
            {
                reset.Reset(RefusedStream);
            }
            else
            {
                context.Abort();
            }

            return;
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
