using System.Net;
using System.Security.Authentication;
using Serilog.Events;

namespace EdgeProxy.Configuration;

/// <summary>
/// The validated, typed configuration: what applies at start and what reloads, each immutable. A reload builds a
/// new instance from the running <see cref="Startup"/> and the loaded <see cref="Reloadable"/> part, so a start-only
/// value cannot change by construction. The properties below forward to the parts, so readers need not know the split.
/// </summary>
public sealed record EdgeProxySettings(StartupSettings Startup, ReloadableSettings Reloadable)
{
    public IPAddress? BindAddress => Startup.BindAddress;
    public int Port => Startup.Port;
    public string ExternalHostName => Startup.ExternalHostName;
    public IPAddress InternalBindAddress => Startup.InternalBindAddress;
    public int StatusPort => Startup.StatusPort;
    public NodeAddress Publisher => Startup.Publisher;
    public NodeAddress Subscriber => Startup.Subscriber;
    public bool VerifyNodeCertificates => Startup.VerifyNodeCertificates;
    public int VerifyDepth => Startup.VerifyDepth;
    public SslProtocols InboundProtocols => Startup.InboundProtocols;
    public string HealthCheckPath => Startup.HealthCheckPath;
    public int UpstreamKeepalive => Startup.UpstreamKeepalive;
    public TimeSpan ClientHeaderTimeout => Startup.ClientHeaderTimeout;
    public TimeSpan ClientBodyTimeout => Startup.ClientBodyTimeout;
    public TimeSpan KeepaliveTimeout => Startup.KeepaliveTimeout;
    public int KeepaliveRequests => Startup.KeepaliveRequests;
    public int Http2MaxConcurrentStreams => Startup.Http2MaxConcurrentStreams;
    public IReadOnlyList<string> DrPaths => Startup.DrPaths;
    public IReadOnlyList<string> DataConnPaths => Startup.DataConnPaths;
    public string TrackingHeader => Startup.TrackingHeader;
    public LogFormat LogFormat => Startup.LogFormat;
    public bool IsLab => Startup.IsLab;

    public IReadOnlyList<IPNetwork> ClientNetworks => Reloadable.ClientNetworks;
    public IReadOnlyList<IPNetwork> LoadBalancerNetworks => Reloadable.LoadBalancerNetworks;
    public string? RealIpHeader => Reloadable.RealIpHeader;
    public bool TrafficRestricted => Reloadable.TrafficRestricted;
    public IReadOnlyList<IPNetwork> RateLimitExemptNetworks => Reloadable.RateLimitExemptNetworks;
    public string ServerCertificatePath => Reloadable.ServerCertificatePath;
    public string ServerKeyPath => Reloadable.ServerKeyPath;
    public string TrustBundlePath => Reloadable.TrustBundlePath;
    public string UpstreamClientCertificatePath => Reloadable.UpstreamClientCertificatePath;
    public string UpstreamClientKeyPath => Reloadable.UpstreamClientKeyPath;
    public TimeSpan HealthCheckInterval => Reloadable.HealthCheckInterval;
    public TimeSpan HealthCheckTimeout => Reloadable.HealthCheckTimeout;
    public int HealthCheckRise => Reloadable.HealthCheckRise;
    public int HealthCheckFall => Reloadable.HealthCheckFall;
    public IReadOnlySet<int> HealthCheckCodes => Reloadable.HealthCheckCodes;
    public TimeSpan ActiveNodeWait => Reloadable.ActiveNodeWait;
    public RequestRate DrRate => Reloadable.DrRate;
    public int DrBurst => Reloadable.DrBurst;
    public RequestRate UserSyncRate => Reloadable.UserSyncRate;
    public int UserSyncBurst => Reloadable.UserSyncBurst;
    public int LimitReqStatus => Reloadable.LimitReqStatus;
    public bool RateLimitDryRun => Reloadable.RateLimitDryRun;
    public int Http1ConnectionLimit => Reloadable.Http1ConnectionLimit;
    public int Http2StreamLimit => Reloadable.Http2StreamLimit;
    public int ConnectionLimitStatus => Reloadable.ConnectionLimitStatus;
    public bool ConnectionLimitDryRun => Reloadable.ConnectionLimitDryRun;
    public long MaxBodySize => Reloadable.MaxBodySize;
    public LogEventLevel LogLevel => Reloadable.LogLevel;
    public IReadOnlyList<string> BlockedPaths => Reloadable.BlockedPaths;
    public TimeSpan ShutdownDelay => Reloadable.ShutdownDelay;

    /// <summary>This configuration's reloadable part with the running configuration's start-up part: what a reload applies.</summary>
    public EdgeProxySettings WithStartupOf(EdgeProxySettings running) => this with { Startup = running.Startup };
}
