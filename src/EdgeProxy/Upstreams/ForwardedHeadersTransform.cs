using System.Globalization;
using System.Net;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using Yarp.ReverseProxy.Transforms;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Sets the headers a node sees: whatever the client sent that describes the connection or its origin is removed
/// (<see cref="RequestHeaderPolicy"/>) and EdgeProxy's own values are added, so a node never sees a client-chosen
/// address. <c>Host</c> is the destination's configured host (<see cref="YarpConfigBuilder"/>), which YARP applies
/// after this transform whatever Host the client sent.
/// </summary>
public sealed class ForwardedHeadersTransform(ProxyState state) : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        var http = context.HttpContext;
        // Walk the client's headers (cheap on Kestrel's dictionary) and remove from the copy YARP made.
        foreach (var (name, _) in http.Request.Headers)
        {
            if (RequestHeaderPolicy.IsStripped(name))
            {
                headers.Remove(name);
            }
        }

        var info = EdgeRequestInfo.Get(http);
        info.Node = http.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>()?.ProxiedDestination?.DestinationId;
        info.UpstreamStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var client = info.Client.ToString();
        var local = http.Connection.LocalIpAddress is { } address
            ? IpAddressGrammar.Normalize(address).ToString()
            : IPAddress.None.ToString();

        // The tracking header is EdgeProxy's (kept or generated), even if its configured name has an underscore.
        var tracking = state.Current.Settings.TrackingHeader;
        headers.Remove(tracking);
        headers.TryAddWithoutValidation(tracking, info.TrackingId);
        headers.TryAddWithoutValidation("X-Real-IP", client);
        headers.TryAddWithoutValidation("X-Client-IP", client);
        headers.TryAddWithoutValidation("X-Forwarded-For", $"{client}, {local}");
        headers.TryAddWithoutValidation("X-Forwarded-Port", http.Connection.LocalPort.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        headers.ConnectionClose = null;
        headers.Connection.Clear();
        return ValueTask.CompletedTask;
    }
}
