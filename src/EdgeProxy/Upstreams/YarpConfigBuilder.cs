using System.Net;
using System.Security.Authentication;
using EdgeProxy.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Builds YARP routes and clusters from the settings: DR paths to the DR cluster (both nodes, the active one chosen by
/// health checks), DataConn paths to the DataConn cluster (the publisher only).
/// </summary>
public static class YarpConfigBuilder
{
    public const string DrCluster = "dr";
    public const string DataConnCluster = "dataconn";
    public const string PublisherDestination = "publisher";
    public const string SubscriberDestination = "subscriber";

    private static readonly string[] AllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static IReadOnlyList<RouteConfig> Routes(EdgeProxySettings settings) =>
    [
        .. settings.DrPaths.Select((prefix, i) => Route($"dr-{i}", prefix, DrCluster)),
        .. settings.DataConnPaths.Select((prefix, i) => Route($"dataconn-{i}", prefix, DataConnCluster)),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(EdgeProxySettings settings) =>
    [
        Cluster(DrCluster, new Dictionary<string, DestinationConfig>
        {
            [PublisherDestination] = Destination(settings.Publisher, settings),
            [SubscriberDestination] = Destination(settings.Subscriber, settings),
        },
        new HealthCheckConfig
        {
            // YARP schedules and times out the probes; RiseFallHealthPolicy counts RISE/FALL.
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = settings.HealthCheckInterval,
                Timeout = settings.HealthCheckTimeout,
                Policy = RiseFallHealthPolicy.PolicyName,
                Path = settings.HealthCheckPath,
            },
            Passive = Passive(settings),
            AvailableDestinationsPolicy = ActiveNodeDestinationsPolicy.PolicyName,
        }),
        Cluster(DataConnCluster, new Dictionary<string, DestinationConfig>
        {
            [PublisherDestination] = Destination(settings.Publisher, settings),
        },
        new HealthCheckConfig
        {
            // No probes of its own: the DR cluster's probes of the publisher decide whether it is reachable.
            Passive = Passive(settings),
            AvailableDestinationsPolicy = PublisherOnlyDestinationsPolicy.PolicyName,
        }),
    ];

    // Host is YARP's own per-destination Host header: its host transform runs after EdgeProxy's and would replace a Host
    // equal to the client's (what Webex Connect sends: the proxy's own name) with this value, so this is where it is set.
    private static DestinationConfig Destination(NodeAddress node, EdgeProxySettings settings) =>
        new() { Address = node.BaseUri.ToString(), Host = settings.ExternalHostName };

    private static PassiveHealthCheckConfig Passive(EdgeProxySettings settings) => new()
    {
        Enabled = true,
        Policy = TransportFailurePolicy.PolicyName,
        ReactivationPeriod = HealthCheckRules.From(settings).RecoveryTime,
    };

    private static RouteConfig Route(string id, string prefix, string cluster) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = prefix.TrimEnd('/') + "/{**rest}", Methods = AllowedMethods },
    };

    private static ClusterConfig Cluster(string id, IReadOnlyDictionary<string, DestinationConfig> destinations, HealthCheckConfig healthCheck) => new()
    {
        ClusterId = id,
        Destinations = destinations,
        HealthCheck = healthCheck,
        HttpClient = new HttpClientConfig
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            DangerousAcceptAnyServerCertificate = false,
        },
        HttpRequest = new ForwarderRequestConfig
        {
            // HTTP/1.1 with keep-alive to the nodes, as Cisco's nginx does.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = TimeSpan.FromSeconds(60),
        },
    };
}
