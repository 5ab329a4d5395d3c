using System.Diagnostics;
using System.Text;
using EdgeProxy.Edge;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeProxy.Operations;

/// <summary>
/// Writes the access log line and the request metrics for every public request, refusals included.
/// Query values are masked (only names are logged); bodies are never logged.
/// </summary>
public sealed class AccessLogMiddleware(RequestDelegate next, EdgeMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(AccessLog.Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        metrics.InFlight.Inc();
        // A request that cannot have a body (a GET without Content-Length) keeps Kestrel's body stream: nothing to count.
        var requestBody = context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } ? null : new CountingStream(context.Request.Body);
        if (requestBody is not null)
        {
            context.Request.Body = requestBody;
        }

        var originalBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var responseBody = new CountingStream(originalBody.Stream);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody, originalBody));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(originalBody);
            metrics.InFlight.Dec();
            Record(context, started, requestBody?.BytesRead ?? 0, responseBody.BytesWritten);
        }
    }

    private void Record(HttpContext context, long started, long requestBytes, long responseBytes)
    {
        var info = context.Features.Get<EdgeRequestInfo>();
        var status = context.Response.StatusCode;
        var slot = info is null ? RouteSlot.None : new RouteSlot((int)info.Route, RouteLabel(info.Route));
        var route = slot.Label;
        var duration = Stopwatch.GetElapsedTime(started);
        metrics.RecordRequest(slot, status, duration.TotalSeconds, info?.Node, info?.UpstreamHeaderTime?.TotalSeconds);
        if (info?.Refusal is { } refusal and not Admission.RefusalReason.None)
        {
            metrics.Refusals.WithLabels(refusal.ToString()).Inc();
        }

        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        AccessLog.Request(_logger, context.Request.Method, MaskedPath(context.Request), status, duration.TotalMilliseconds,
            info?.Client.ToString() ?? "-", info?.Peer.ToString() ?? "-", route, info?.Node is { } node ? Upstreams.NodeRoles.Name(node) : "-", info?.UpstreamStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            info?.UpstreamConnectTime?.TotalMilliseconds ?? 0, info?.UpstreamHeaderTime?.TotalMilliseconds ?? 0, requestBytes, responseBytes,
            context.Request.Protocol, info?.TrackingId ?? "-");
    }

    public static string RouteLabel(EdgeRoute route) => route switch
    {
        EdgeRoute.Dr => "dr",
        EdgeRoute.DataConn => "dataconn",
        EdgeRoute.Blocked => "blocked",
        EdgeRoute.BadPath => "bad_path",
        _ => "not_found",
    };

    /// <summary>The path with every query value replaced by <c>*</c>: task ids in paths stay, values the client sent do not.</summary>
    public static string MaskedPath(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (!request.QueryString.HasValue)
        {
            return path;
        }

        var masked = new StringBuilder(path).Append('?');
        var first = true;
        foreach (var key in request.Query.Keys)
        {
            masked.Append(first ? "" : "&").Append(Uri.EscapeDataString(key)).Append("=*");
            first = false;
        }

        return masked.ToString();
    }
}
