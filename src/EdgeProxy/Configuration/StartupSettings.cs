using System.Net;
using System.Security.Authentication;
using static EdgeProxy.Configuration.PropertyCatalog;

namespace EdgeProxy.Configuration;

/// <summary>
/// What applies once, at start: listeners, nodes, routes, Kestrel limits, log format. A reload carries the running
/// instance over whole (<see cref="EdgeProxySettings.WithStartupOf"/>), so nothing here can change without a restart.
/// Each value is read through its <see cref="StartupProperty{T}"/>; documentation lives in <see cref="PropertyCatalog"/>.
/// </summary>
public sealed class StartupSettings(StartupReader r)
{
    public IPAddress? BindAddress { get; } = r.Read(BindingIp);
    public int Port { get; } = r.Read(PropertyCatalog.Port);
    public string ExternalHostName { get; } = r.Read(PropertyCatalog.ExternalHostName);
    public IPAddress InternalBindAddress { get; } = r.Read(InternalBindingIp);
    public int StatusPort { get; } = r.Read(PropertyCatalog.StatusPort);

    public NodeAddress Publisher { get; } = r.Read(PropertyCatalog.Publisher);
    public NodeAddress Subscriber { get; } = r.Read(PropertyCatalog.Subscriber);

    /// <summary>Always true: <c>NGX_PRXY_SSL_VERIFY=off</c> is refused.</summary>
    public bool VerifyNodeCertificates { get; } = r.Read(SslVerify);
    public int VerifyDepth { get; } = r.Read(SslVerifyDepth);
    public SslProtocols InboundProtocols { get; } = r.Read(PropertyCatalog.SslProtocols);
    public string HealthCheckPath { get; } = r.Read(HealthCheckApi);
    public int UpstreamKeepalive { get; } = r.Read(PropertyCatalog.UpstreamKeepalive);

    public TimeSpan ClientHeaderTimeout { get; } = r.Read(PropertyCatalog.ClientHeaderTimeout);
    public TimeSpan ClientBodyTimeout { get; } = r.Read(PropertyCatalog.ClientBodyTimeout);
    public TimeSpan KeepaliveTimeout { get; } = r.Read(PropertyCatalog.KeepaliveTimeout);
    public int KeepaliveRequests { get; } = r.Read(PropertyCatalog.KeepaliveRequests);
    public int Http2MaxConcurrentStreams { get; } = r.Read(Http2MaxStreams);

    public IReadOnlyList<string> DrPaths { get; } = r.Read(PropertyCatalog.DrPaths);
    public IReadOnlyList<string> DataConnPaths { get; } = r.Read(PropertyCatalog.DataConnPaths);
    public string TrackingHeader { get; } = r.Read(PropertyCatalog.TrackingHeader);
    public LogFormat LogFormat { get; } = r.Read(PropertyCatalog.LogFormat);

    /// <summary>True when <c>EDGEPROXY_ENVIRONMENT=lab</c>.</summary>
    public bool IsLab { get; } = r.Read(PropertyCatalog.Environment);
}
