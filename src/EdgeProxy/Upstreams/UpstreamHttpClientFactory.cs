using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>YARP's client factory with every node connection opened by <see cref="NodeTlsConnector"/>.</summary>
public sealed class UpstreamHttpClientFactory(NodeTlsConnector connector) : ForwarderHttpClientFactory
{
    /// <summary>Bounded so a node that accepts TCP but never finishes TLS cannot hold a request.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = connector.ConnectAsync;
        handler.ConnectTimeout = ConnectTimeout;
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
    }
}
