using System.Net;
using System.Security.Authentication;
using Serilog.Events;

namespace EdgeProxy.Configuration;

/// <summary>Log output format on stdout.</summary>
public enum LogFormat
{
    Json,
    Text,
}

/// <summary>
/// The validated, typed configuration. Immutable: built once at start and on each reload, then only read.
/// Property documentation lives in <see cref="PropertyCatalog"/> and the README.
/// </summary>
public sealed record EdgeProxySettings
{
    public required IPAddress? BindAddress { get; init; }
    public required int Port { get; init; }
    public required string ExternalHostName { get; init; }
    public required IPAddress InternalBindAddress { get; init; }
    public required int StatusPort { get; init; }

    public required NodeAddress Publisher { get; init; }
    public required NodeAddress Subscriber { get; init; }

    public required IReadOnlyList<IPNetwork> ClientNetworks { get; init; }
    public required IReadOnlyList<IPNetwork> LoadBalancerNetworks { get; init; }
    public required string? RealIpHeader { get; init; }
    public required bool TrafficRestricted { get; init; }
    public required IReadOnlyList<IPNetwork> RateLimitExemptNetworks { get; init; }

    public required string ServerCertificatePath { get; init; }
    public required string ServerKeyPath { get; init; }
    public required string TrustBundlePath { get; init; }
    public required string UpstreamClientCertificatePath { get; init; }
    public required string UpstreamClientKeyPath { get; init; }
    public required int VerifyDepth { get; init; }
    public required SslProtocols InboundProtocols { get; init; }

    public required string HealthCheckPath { get; init; }
    public required TimeSpan HealthCheckInterval { get; init; }
    public required TimeSpan HealthCheckTimeout { get; init; }
    public required int HealthCheckRise { get; init; }
    public required int HealthCheckFall { get; init; }
    public required IReadOnlySet<int> HealthCheckCodes { get; init; }

    public required RequestRate DrRate { get; init; }
    public required int DrBurst { get; init; }
    public required RequestRate UserSyncRate { get; init; }
    public required int UserSyncBurst { get; init; }
    public required int LimitReqStatus { get; init; }
    public required int Http1ConnectionLimit { get; init; }
    public required int Http2StreamLimit { get; init; }
    public required int UpstreamKeepalive { get; init; }

    /// <summary>Request body limit in bytes; 0 means no limit (nginx semantics).</summary>
    public required long MaxBodySize { get; init; }
    public required TimeSpan ClientHeaderTimeout { get; init; }
    public required TimeSpan ClientBodyTimeout { get; init; }
    public required TimeSpan KeepaliveTimeout { get; init; }
    public required int KeepaliveRequests { get; init; }
    public required int Http2MaxConcurrentStreams { get; init; }

    public required LogEventLevel LogLevel { get; init; }
    public required LogFormat LogFormat { get; init; }

    public required IReadOnlyList<string> DrPaths { get; init; }
    public required IReadOnlyList<string> DataConnPaths { get; init; }
    public required IReadOnlyList<string> BlockedPaths { get; init; }
    public required string TrackingHeader { get; init; }

    /// <summary>True when <c>EDGEPROXY_ENVIRONMENT=lab</c>.</summary>
    public required bool IsLab { get; init; }
}
