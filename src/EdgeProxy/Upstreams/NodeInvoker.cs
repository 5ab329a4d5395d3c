using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// The one connection pool to the nodes, for forwarded traffic and health probes alike, so a probe proves exactly the
/// mutual TLS that traffic uses: every connection is opened by <see cref="NodeTlsConnector"/>. YARP's
/// ForwarderHttpClientFactory defaults (no proxy, redirects, decompression or cookies), a bounded connect time and a
/// 60 s idle timeout. Not capped by NGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE: nginx's <c>keepalive N</c> caps the idle
/// connections it keeps, never how many requests run at once, while MaxConnectionsPerServer would queue every request
/// past N inside the handler; .NET has no cap on idle connections alone.
/// </summary>
public sealed class NodeInvoker(NodeTlsConnector connector) : HttpMessageInvoker(CreateHandler(connector), disposeHandler: true)
{
    /// <summary>Bounded so a node that accepts TCP but never finishes TLS cannot hold a request.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle pooled connection to a node is kept.</summary>
    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);

    private static SocketsHttpHandler CreateHandler(NodeTlsConnector connector) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectCallback = connector.ConnectAsync,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
    };
}
