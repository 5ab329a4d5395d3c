using System.Globalization;
using System.Net;
using System.Net.Http;
using EdgeProxy.Admission;
using EdgeProxy.Edge;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// The headers a node sees and the client gets back (docs/traffic.md, "Headers the node sees"). YARP's base transformer copies
/// the client's headers (hop-by-hop ones excluded); whatever the client sent that describes the connection or its
/// origin is then removed (<see cref="RequestHeaderPolicy"/>), EdgeProxy's own values are added and <c>Host</c> is the
/// proxy's external name, whatever the client sent. On the way back the node's answer is recorded for the access log
/// and the tracking id is echoed once. A Digital Routing 503 the forwarder may send on (<see cref="StandbyHold"/>) is
/// kept from the client.
/// </summary>
public sealed class NodeRequestTransformer : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var headers = proxyRequest.Headers;
        // Walk the client's headers (cheap on Kestrel's dictionary) and remove from the copy.
        foreach (var (name, _) in httpContext.Request.Headers)
        {
            if (RequestHeaderPolicy.IsStripped(name))
            {
                headers.Remove(name);
            }
        }

        var info = EdgeRequestInfo.Get(httpContext);
        var settings = info.Configuration.Settings;
        info.UpstreamStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var client = info.Client.ToString();
        var local = httpContext.Connection.LocalIpAddress is { } address
            ? IpAddressGrammar.Normalize(address).ToString()
            : IPAddress.None.ToString();

        headers.Host = settings.ExternalHostName;
        // The tracking header is EdgeProxy's (kept or generated), even if its configured name has an underscore.
        headers.Remove(settings.TrackingHeader);
        headers.TryAddWithoutValidation(settings.TrackingHeader, info.TrackingId);
        headers.TryAddWithoutValidation("X-Real-IP", client);
        headers.TryAddWithoutValidation("X-Client-IP", client);
        headers.TryAddWithoutValidation("X-Forwarded-For", $"{client}, {local}");
        headers.TryAddWithoutValidation("X-Forwarded-Port", httpContext.Connection.LocalPort.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        headers.ConnectionClose = null;
        headers.Connection.Clear();
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var info = EdgeRequestInfo.Get(httpContext);
        if (proxyResponse is not null)
        {
            info.UpstreamStatus = (int)proxyResponse.StatusCode;
            info.UpstreamHeaderTime = System.Diagnostics.Stopwatch.GetElapsedTime(info.UpstreamStarted);
            info.UpstreamConnectTime = proxyResponse.RequestMessage?.Options.TryGetValue(NodeTlsConnector.ConnectTimeKey, out var connect) == true ? connect : TimeSpan.Zero;
            if (httpContext.Features.Get<StandbyHold>()?.TryHold(info.UpstreamStatus.Value) == true)
            {
                // A standby answer the forwarder sends on: nothing of it reaches the client (YARP set the status; false: no body).
                httpContext.Response.Clear();
                return false;
            }
        }

        var proxied = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // Set after the node's headers were copied, so the client sees exactly one tracking id.
        httpContext.Response.Headers[info.Configuration.Settings.TrackingHeader] = info.TrackingId;
        return proxied;
    }
}
