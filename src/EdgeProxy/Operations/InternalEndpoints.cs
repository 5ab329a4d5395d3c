using EdgeProxy.Configuration;

namespace EdgeProxy.Operations;

/// <summary>
/// The internal listener's endpoints. Dispatched by path here rather than through endpoint routing so
/// the public route table (the proxy routes) is never reachable from this port and vice versa.
/// </summary>
public static class InternalEndpoints
{
    public static Task HandleAsync(HttpContext context)
    {
        var state = context.RequestServices.GetRequiredService<ProxyState>();
        switch (context.Request.Path.Value)
        {
            case "/healthz":
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync("ok\n");
            case "/metrics":
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                return context.RequestServices.GetRequiredService<EdgeMetrics>().Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync($"not found (configuration {state.Current.Version})\n");
        }
    }
}
