using EdgeProxy.Hosting;
using Microsoft.AspNetCore.Connections.Features;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_KEEPALIVE_REQUESTS for HTTP/1.1: the response to the Nth request on a connection carries
/// <c>Connection: close</c>, so Kestrel closes it after that response. Kestrel has no such limit itself.
/// While draining (SIGTERM, EDGEPROXY_SHUTDOWN_DELAY) every HTTP/1.1 response carries it: behind an L4 balancer a client's
/// keep-alive connection stays on this instance whatever the balancer's health check says, so the client is made to
/// reconnect (to the other instance) while this one still serves, not to find the connection closed under a request
/// when the listeners close. HTTP/2 clients are told by the GOAWAY Kestrel sends at that point, which names the last
/// stream it took.
/// </summary>
public sealed class KeepaliveRequestsMiddleware(RequestDelegate next, Draining draining)
{
    private const string CounterKey = "edgeproxy.requests";

    public Task InvokeAsync(HttpContext context)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol) && context.Features.Get<IConnectionItemsFeature>()?.Items is { } items)
        {
            var served = (items.TryGetValue(CounterKey, out var value) && value is int count ? count : 0) + 1;
            items[CounterKey] = served;
            if (served >= EdgeRequestInfo.Get(context).Configuration.Settings.KeepaliveRequests || draining.IsDraining)
            {
                context.Response.Headers.Connection = "close";
            }
        }

        return next(context);
    }
}
