using System.Net;
using System.Net.Http;
using EdgeProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Builds the health probe (<c>GET NGX_CLOUDCONNECT_HEALTHCHECK_API</c>) like forwarded traffic: HTTP/1.1 and
/// <c>Host</c> = the proxy's external name, because a node that checks its allowed hosts must answer the probe as it
/// answers traffic. YARP's default factory sends the node address as Host and HTTP/2. The probe goes through the
/// cluster's HttpMessageInvoker, so the same <see cref="NodeTlsConnector"/> opens its connection.
/// </summary>
public sealed class NodeProbeRequestFactory(ProxyState state) : IProbingRequestFactory
{
    /// <summary>User-Agent of every probe, so node logs (and tests) can tell probes from traffic.</summary>
    public const string UserAgent = "EdgeProxy-HealthCheck/1";

    public HttpRequestMessage CreateRequest(ClusterModel cluster, DestinationModel destination)
    {
        var path = cluster.Config.HealthCheck?.Active?.Path ?? state.Current.Settings.HealthCheckPath;
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(destination.Config.Address), path))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = state.Current.Settings.ExternalHostName;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Options.Set(ProbeTimingHandler.IsProbe, true);
        return request;
    }
}
