using Microsoft.AspNetCore.Connections.Features;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_KEEPALIVE_REQUESTS for HTTP/1.1: the response to the Nth request on a connection carries
/// <c>Connection: close</c>, so Kestrel closes it after that response. Kestrel has no such limit itself.
/// </summary>
public sealed class KeepaliveRequestsMiddleware(RequestDelegate next)
{
    private const string CounterKey = "edgeproxy.requests";

    public Task InvokeAsync(HttpContext context)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol) && context.Features.Get<IConnectionItemsFeature>()?.Items is { } items)
        {
            var served = (items.TryGetValue(CounterKey, out var value) && value is int count ? count : 0) + 1;
            items[CounterKey] = served;
            if (served >= EdgeRequestInfo.Get(context).Configuration.Settings.KeepaliveRequests)
            {
                context.Response.Headers.Connection = "close";
            }
        }

        return next(context);
    }
}
