using System.Text.Json;
using EdgeProxy.Configuration;
using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>
/// The internal listener's endpoints: <c>/healthz</c>, <c>/readyz</c>, <c>/reverseproxy_status</c>, <c>/metrics</c>
/// and the status page at <c>/</c>. Dispatched by path here rather than through endpoint routing so the public route
/// table (the proxy routes) is never reachable from this port and vice versa.
/// </summary>
public sealed class InternalEndpoints(ProxyState state, ActiveNodeTracker tracker, EdgeMetrics metrics, ProcessClock clock, TimeProvider time, Hosting.Draining draining)
{
    public Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        switch (context.Request.Path.Value)
        {
            case "/healthz":
                // Alive: the process answers. Readiness is /readyz.
                return Text(response, StatusCodes.Status200OK, "ok\n");
            case "/readyz":
                return ReadyAsync(context);
            case "/reverseproxy_status":
                response.ContentType = "application/json";
                var report = StatusReport.Create(state, tracker, metrics, clock.StartedAt, time.GetUtcNow());
                return JsonSerializer.SerializeAsync(response.Body, report, StatusJsonContext.Default.StatusReport, context.RequestAborted);
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                return metrics.Registry.CollectAndExportAsTextAsync(response.Body, context.RequestAborted);
            default:
                if (context.Request.Path.Value is { } path && StatusPageAssets.TryGet(path, out var content, out var contentType))
                {
                    response.ContentType = contentType;
                    response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
                    response.Headers.XContentTypeOptions = "nosniff";
                    return response.Body.WriteAsync(content).AsTask();
                }

                return Text(response, StatusCodes.Status404NotFound, "not found\n");
        }
    }

    private Task ReadyAsync(HttpContext context)
    {
        var snapshot = tracker.Snapshot;
        var version = state.Current.Version;
        if (draining.IsDraining)
        {
            return Text(context.Response, StatusCodes.Status503ServiceUnavailable, $"not ready: configuration {version}, shutting down since {draining.Since:O}\n");
        }

        return Readiness.IsReady(snapshot, draining) && snapshot.Active is { } active
            ? Text(context.Response, StatusCodes.Status200OK, $"ready: configuration {version}, active node {active.Name()}\n")
            : Text(context.Response, StatusCodes.Status503ServiceUnavailable, $"not ready: configuration {version}, {snapshot.ActiveReason}\n");
    }

    private static Task Text(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(text);
    }
}
