using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// YARP's client factory with every node connection opened by <see cref="NodeTlsConnector"/>. The same
/// HttpMessageInvoker carries traffic and YARP's health probes, so probes get the same mutual TLS.
/// </summary>
public sealed class UpstreamHttpClientFactory(NodeTlsConnector connector, TimeProvider time) : ForwarderHttpClientFactory
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

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new ProbeTimingHandler(time) { InnerHandler = base.WrapHandler(context, handler) };
}
