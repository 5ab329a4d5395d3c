using System.Net;
using Serilog.Events;
using static EdgeProxy.Configuration.PropertyCatalog;

namespace EdgeProxy.Configuration;

/// <summary>
/// What a reload applies to new requests: admission, limits, health-check timing, certificates, log level.
/// Each value is read through its <see cref="ReloadableProperty{T}"/>; documentation lives in <see cref="PropertyCatalog"/>.
/// </summary>
public sealed class ReloadableSettings(ReloadableReader r)
{
    public IReadOnlyList<IPNetwork> ClientNetworks { get; } = r.Read(ClientIps);
    public IReadOnlyList<IPNetwork> LoadBalancerNetworks { get; } = r.Read(LoadBalancerIps);
    public string? RealIpHeader { get; } = r.Read(PropertyCatalog.RealIpHeader);
    public bool TrafficRestricted { get; } = r.Read(PropertyCatalog.TrafficRestricted);
    public IReadOnlyList<IPNetwork> RateLimitExemptNetworks { get; } = r.Read(RateLimitExemptIps);

    public string ServerCertificatePath { get; } = r.Read(ServerCertificate);
    public string ServerKeyPath { get; } = r.Read(ServerKey);
    public string TrustBundlePath { get; } = r.Read(TrustBundle);

    /// <summary>EDGEPROXY_UPSTREAM_CLIENT_CRT, else the server certificate (Cisco's setup).</summary>
    public string UpstreamClientCertificatePath { get; } = r.Read(UpstreamClientCertificate) ?? r.Read(ServerCertificate);

    /// <summary>EDGEPROXY_UPSTREAM_CLIENT_KEY, else the server key.</summary>
    public string UpstreamClientKeyPath { get; } = r.Read(UpstreamClientKey) ?? r.Read(ServerKey);

    public TimeSpan HealthCheckInterval { get; } = r.Read(PropertyCatalog.HealthCheckInterval);
    public TimeSpan HealthCheckTimeout { get; } = r.Read(PropertyCatalog.HealthCheckTimeout);
    public int HealthCheckRise { get; } = r.Read(PropertyCatalog.HealthCheckRise);
    public int HealthCheckFall { get; } = r.Read(PropertyCatalog.HealthCheckFall);
    public IReadOnlySet<int> HealthCheckCodes { get; } = r.Read(PropertyCatalog.HealthCheckCodes);

    /// <summary>EDGEPROXY_ACTIVE_NODE_WAIT: how long a Digital Routing request waits for an active node; zero: no wait.</summary>
    public TimeSpan ActiveNodeWait { get; } = r.Read(PropertyCatalog.ActiveNodeWait);

    public RequestRate DrRate { get; } = r.Read(PropertyCatalog.DrRate);
    public int DrBurst { get; } = r.Read(PropertyCatalog.DrBurst);
    public RequestRate UserSyncRate { get; } = r.Read(PropertyCatalog.UserSyncRate);
    public int UserSyncBurst { get; } = r.Read(PropertyCatalog.UserSyncBurst);
    public int LimitReqStatus { get; } = r.Read(PropertyCatalog.LimitReqStatus);

    /// <summary>NGX_LIMIT_REQ_DRY_RUN: rate limits log and count what they would refuse, and refuse nothing.</summary>
    public bool RateLimitDryRun { get; } = r.Read(LimitReqDryRun);
    public int Http1ConnectionLimit { get; } = r.Read(Http1ConnLimit);
    public int Http2StreamLimit { get; } = r.Read(Http2ConnLimit);

    /// <summary>NGX_LIMIT_CONN_STATUS: the answer to an HTTP/2 stream over its limit.</summary>
    public int ConnectionLimitStatus { get; } = r.Read(LimitConnStatus);

    /// <summary>NGX_LIMIT_CONN_DRY_RUN: connection and stream limits log and count what they would refuse, and refuse nothing.</summary>
    public bool ConnectionLimitDryRun { get; } = r.Read(LimitConnDryRun);

    /// <summary>Request body limit in bytes; 0 means no limit (nginx semantics).</summary>
    public long MaxBodySize { get; } = r.Read(PropertyCatalog.MaxBodySize);
    public LogEventLevel LogLevel { get; } = r.Read(PropertyCatalog.LogLevel);
    public IReadOnlyList<string> BlockedPaths { get; } = r.Read(PropertyCatalog.BlockedPaths);

    /// <summary>How long SIGTERM keeps serving with /readyz answering 503 before the listeners close.</summary>
    public TimeSpan ShutdownDelay { get; } = r.Read(PropertyCatalog.ShutdownDelay);
}
