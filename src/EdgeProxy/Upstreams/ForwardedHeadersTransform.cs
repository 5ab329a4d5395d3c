using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using Yarp.ReverseProxy.Transforms;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Sets the headers a node sees (DESIGN.md section 4): every client-supplied forwarding header is
/// removed and replaced by EdgeProxy's own values, so a node never sees a client-chosen address.
/// </summary>
public sealed class ForwardedHeadersTransform(ProxyState state) : RequestTransform
{
    /// <summary>Headers that carry an address or origin; never passed through from the client.</summary>
    public static readonly string[] ReplacedHeaders =
    [
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Forwarded-Server", "X-Real-IP", "X-Client-IP", "Forwarded", "X-Original-For", "X-Original-Host", "X-Original-Proto",
        "X-Cluster-Client-IP", "True-Client-IP", "CF-Connecting-IP",
    ];

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in ReplacedHeaders)
        {
            headers.Remove(name);
        }

        var http = context.HttpContext;
        var info = EdgeRequestInfo.Get(http);
        info.Node = http.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>()?.ProxiedDestination?.DestinationId;
        info.UpstreamStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var client = info.Client.ToString();
        var local = http.Connection.LocalIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.None.ToString();

        headers.Host = state.Current.Settings.ExternalHostName;
        headers.TryAddWithoutValidation("X-Real-IP", client);
        headers.TryAddWithoutValidation("X-Client-IP", client);
        headers.TryAddWithoutValidation("X-Forwarded-For", $"{client}, {local}");
        headers.TryAddWithoutValidation("X-Forwarded-Port", http.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        headers.ConnectionClose = null;
        headers.Connection.Clear();
        return ValueTask.CompletedTask;
    }
}
