using System.Net;
using System.Security.Authentication;
using Serilog.Events;
using static EdgeProxy.Configuration.PropertyFlags;
using static EdgeProxy.Configuration.PropertyParsers;

namespace EdgeProxy.Configuration;

/// <summary>
/// Every env property EdgeProxy honours, one descriptor each, with Cisco's default. A descriptor's type says whether
/// it applies at start (<see cref="StartupProperty{T}"/>) or on reload (<see cref="ReloadableProperty{T}"/>).
/// docs/configuration.md documents each one (a test checks names, defaults and reload behaviour).
/// </summary>
public static class PropertyCatalog
{
    /// <summary>The addresses in Cisco's default <c>NGX_CLOUDCONNECT_CLIENT_IPS</c> (Webex Connect, all data centres).</summary>
    public const string CiscoDefaultClientIps =
        "35.161.238.252|35.166.68.236|52.40.46.90|34.240.73.178|52.214.81.91|52.17.23.194|3.9.155.97|3.9.151.19|54.206.189.15|52.62.185.51|13.210.45.137|3.105.22.233";

    // Declared first: static fields initialise in text order, so every descriptor below registers itself here, in order.
    private static readonly List<PropertyDefinition> Registered = [];

    public static readonly StartupProperty<int> Port = Startup<int>("NGX_PRXY_CLOUDCONNECT_PORT", "443", Int(0, 65535), 0, "HTTPS listen port");
    public static readonly StartupProperty<string> ExternalHostName = Startup<string>("NGX_PRXY_CLOUDCONNECT_HOSTNAME", null, TryParseHostName, "",
        "the proxy's external FQDN; sent as Host to the nodes", Required);
    public static readonly StartupProperty<IPAddress?> BindingIp = Startup<IPAddress?>("PROXY_BINDING_IP", null, TryParseAddress, null, "listen address (all interfaces when empty)");
    public static readonly StartupProperty<IPAddress> InternalBindingIp = Startup<IPAddress>("PROXY_BINDING_INTERNAL_IP", "127.0.0.1", TryParseLoopbackDefaultAddress, IPAddress.Loopback,
        "address of the status/metrics listener", aliases: ["NGX_PRXY_STATUS_IP"]);
    public static readonly StartupProperty<int> StatusPort = Startup<int>("NGX_PRXY_STATUS_PORT", "10001", Int(0, 65535), 0, "status/metrics port (internal only)");
    public static readonly StartupProperty<NodeAddress> Publisher = Startup<NodeAddress>("NGX_CLOUDCONNECT_HOSTNAME", null, TryParseNode, NodeAddress.Unset,
        "publisher node, host[:port] (port 8445 when absent)", Required);
    public static readonly StartupProperty<NodeAddress> Subscriber = Startup<NodeAddress>("NGX_CLOUDCONNECT_FAILOVER_HOSTNAME", null, TryParseNode, NodeAddress.Unset,
        "subscriber node, host[:port] (port 8445 when absent)", Required);
    public static readonly ReloadableProperty<IReadOnlyList<IPNetwork>> ClientIps = Reloadable<IReadOnlyList<IPNetwork>>("NGX_CLOUDCONNECT_CLIENT_IPS", CiscoDefaultClientIps, TryParseNetworks, [],
        "admitted client addresses and CIDR blocks, IPv4 or IPv6");
    public static readonly ReloadableProperty<IReadOnlyList<IPNetwork>> LoadBalancerIps = Reloadable<IReadOnlyList<IPNetwork>>("NGX_LOAD_BALANCER_IPS", null, TryParseNetworks, [],
        "trusted load balancer/WAF addresses or CIDR blocks");
    public static readonly ReloadableProperty<string?> RealIpHeader = Reloadable<string?>("NGX_LOAD_BALANCER_REAL_IP_HEADER", null, TryParseHeaderName, null,
        "header carrying the client address from a trusted load balancer, or proxy_protocol (PROXY protocol v1/v2 before TLS)");
    public static readonly ReloadableProperty<bool> TrafficRestricted = Reloadable<bool>("NGX_TRAFFIC_RESTRICTED", "false", ValueParsers.TryParseBool, false,
        "true: only NGX_LOAD_BALANCER_IPS peers may connect");
    public static readonly ReloadableProperty<IReadOnlyList<IPNetwork>> RateLimitExemptIps = Reloadable<IReadOnlyList<IPNetwork>>("NGX_RATELIMIT_DISABLE_IPS", null, TryParseNetworks, [],
        "addresses or CIDR blocks exempt from rate limits");
    public static readonly ReloadableProperty<string> ServerCertificate = Reloadable<string>("NGX_SSL_CRT", null, TryParsePath, "",
        "proxy server certificate (PEM, chain after the leaf)", Required, fileContent: true);
    public static readonly ReloadableProperty<string> ServerKey = Reloadable<string>("NGX_SSL_KEY", null, TryParsePath, "", "proxy server private key (PEM)", Required | Masked, fileContent: true);
    public static readonly ReloadableProperty<string> TrustBundle = Reloadable<string>("NGX_PRXY_SSL_TRUST_CRT", null, TryParsePath, "",
        "CA bundle (PEM) that signs the Cloud Connect node certificates", Required, fileContent: true);
    public static readonly StartupProperty<bool> SslVerify = Startup<bool>("NGX_PRXY_SSL_VERIFY", "on", TryParseVerifyOn, true, "verify node certificates; EdgeProxy refuses 'off'");
    public static readonly StartupProperty<int> SslVerifyDepth = Startup<int>("NGX_PRXY_SSL_VERIFY_DEPTH", "10", Int(1, 100), 0, "maximum node certificate chain depth");
    public static readonly StartupProperty<SslProtocols> SslProtocols = Startup<SslProtocols>("NGX_SSL_PROTO", "TLSv1.2", ValueParsers.TryParseTlsProtocols,
        System.Security.Authentication.SslProtocols.None, "inbound TLS versions (TLSv1.2 also enables TLSv1.3)");
    public static readonly StartupProperty<string> HealthCheckApi = Startup<string>("NGX_CLOUDCONNECT_HEALTHCHECK_API", "/drapi/v1/ping", TryParseProbePath, "", "health probe path");
    public static readonly ReloadableProperty<TimeSpan> HealthCheckInterval = Reloadable<TimeSpan>("NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL", "2000", Milliseconds(100), TimeSpan.Zero,
        "probe interval, milliseconds");
    public static readonly ReloadableProperty<TimeSpan> HealthCheckTimeout = Reloadable<TimeSpan>("NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT", "2000", Milliseconds(50), TimeSpan.Zero,
        "probe timeout, milliseconds");
    public static readonly ReloadableProperty<int> HealthCheckRise = Reloadable<int>("NGX_CLOUDCONNECT_HEALTHCHECK_RISE", "2", Int(1, 100), 0,
        "consecutive successes that make a node healthy");
    public static readonly ReloadableProperty<int> HealthCheckFall = Reloadable<int>("NGX_CLOUDCONNECT_HEALTHCHECK_FALL", "2", Int(1, 100), 0,
        "consecutive failures that make a node unhealthy");
    public static readonly ReloadableProperty<IReadOnlySet<int>> HealthCheckCodes = Reloadable<IReadOnlySet<int>>("NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES", "{200}",
        ValueParsers.TryParseStatusCodes, new HashSet<int>(), "status codes a healthy (active) node answers the probe with");
    public static readonly ReloadableProperty<bool> HealthCheckSslVerify = Reloadable<bool>("NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY", null, ValueParsers.TryParseBool, true,
        "accepted for compatibility; probes are always verified mTLS (a warning is logged for FALSE)");
    public static readonly ReloadableProperty<int> HealthCheckConcurrency = Reloadable<int>("NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY", "2", Int(1, 1_000_000), 0,
        "accepted for compatibility (a positive whole number); no effect: EdgeProxy always probes the two nodes concurrently (an info line at start says so when set)");
    public static readonly ReloadableProperty<TimeSpan> ActiveNodeWait = Reloadable<TimeSpan>("EDGEPROXY_ACTIVE_NODE_WAIT", "3s", TryParseSeconds, TimeSpan.Zero,
        "how long a Digital Routing request waits for an active node (none active, or its node answered as standby) before 503; 0 = no wait");
    public static readonly ReloadableProperty<RequestRate> DrRate = Reloadable<RequestRate>("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT", "100r/s", ValueParsers.TryParseRate, default,
        "Digital Routing request rate per client address");
    public static readonly ReloadableProperty<int> DrBurst = Reloadable<int>("NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT", "200", Int(0, 1_000_000), 0,
        "Digital Routing burst per client address");
    public static readonly ReloadableProperty<RequestRate> UserSyncRate = Reloadable<RequestRate>("NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_RATE_LIMIT", "5r/m", ValueParsers.TryParseRate,
        default, "DataConn callback rate per client address");
    public static readonly ReloadableProperty<int> UserSyncBurst = Reloadable<int>("NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_BURST_LIMIT", "10", Int(0, 1_000_000), 0,
        "DataConn callback burst per client address");
    public static readonly ReloadableProperty<int> LimitReqStatus = Reloadable<int>("NGX_CLOUDCONNECT_LIMIT_REQ_STATUS", "429", Int(400, 599), 0, "status returned when rate-limited");
    public static readonly ReloadableProperty<bool> LimitReqDryRun = Reloadable<bool>("NGX_LIMIT_REQ_DRY_RUN", "off", ValueParsers.TryParseBool, false,
        "on: rate limits refuse nothing; what they would refuse is logged (event 3106) and counted (edgeproxy_dry_run_refusals_total)");
    public static readonly ReloadableProperty<int> Http1ConnLimit = Reloadable<int>("NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT", "50", Int(1, 1_000_000), 0,
        "HTTP/1.1 connections per client address");
    public static readonly ReloadableProperty<int> Http2ConnLimit = Reloadable<int>("NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT", "250", Int(1, 1_000_000), 0,
        "concurrent HTTP/2 streams per client address");
    public static readonly ReloadableProperty<int> LimitConnStatus = Reloadable<int>("NGX_LIMIT_CONN_STATUS", "503", Int(400, 599), 0,
        "status answered to an HTTP/2 stream over NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT; an HTTP/1.1 connection over its limit is closed before TLS, where no status can be sent");
    public static readonly ReloadableProperty<bool> LimitConnDryRun = Reloadable<bool>("NGX_LIMIT_CONN_DRY_RUN", "off", ValueParsers.TryParseBool, false,
        "on: connection and stream limits refuse nothing; what they would refuse is logged (events 3107, 3108) and counted (edgeproxy_dry_run_refusals_total)");
    public static readonly StartupProperty<int> UpstreamKeepalive = Startup<int>("NGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE", "150", Int(1, 100_000), 0, "pooled upstream connections per node");
    public static readonly ReloadableProperty<long> MaxBodySize = Reloadable<long>("NGX_CLIENT_MAX_BODY_SIZE", "15m", ValueParsers.TryParseSize, 0,
        "request body limit (nginx size: 1024, 512k, 15m)");
    public static readonly StartupProperty<TimeSpan> ClientHeaderTimeout = Startup<TimeSpan>("NGX_CLIENT_HEADER_TIMEOUT", "10s", TryParseSeconds, TimeSpan.Zero,
        "time allowed to receive request headers");
    public static readonly StartupProperty<TimeSpan> ClientBodyTimeout = Startup<TimeSpan>("NGX_CLIENT_BODY_TIMEOUT", "10s", TryParseSeconds, TimeSpan.Zero, "time allowed between body reads");
    public static readonly StartupProperty<TimeSpan> KeepaliveTimeout = Startup<TimeSpan>("NGX_KEEPALIVE_TIMEOUT", "20s", TryParseSeconds, TimeSpan.Zero, "idle client keep-alive");
    public static readonly StartupProperty<int> KeepaliveRequests = Startup<int>("NGX_KEEPALIVE_REQUESTS", "500", Int(1, 1_000_000), 0, "requests per client connection");
    public static readonly StartupProperty<int> Http2MaxStreams = Startup<int>("NGX_HTTP2_MAX_CONCURRENT_STREAMS", "150", Int(1, 10_000), 0, "HTTP/2 concurrent streams per connection");
    public static readonly ReloadableProperty<LogEventLevel> LogLevel = Reloadable<LogEventLevel>("NGX_ERR_LOG_LEVEL", "info", ValueParsers.TryParseLogLevel, LogEventLevel.Information,
        "log level: debug, info, notice, warn, error, crit, alert or emerg (nginx's names; notice logs as info, alert and emerg as crit)");
    public static readonly ReloadableProperty<string?> UpstreamClientCertificate = Reloadable<string?>("EDGEPROXY_UPSTREAM_CLIENT_CRT", null, TryParseOptionalPath, null,
        "client certificate for mTLS to the nodes (default NGX_SSL_CRT)", fileContent: true);
    public static readonly ReloadableProperty<string?> UpstreamClientKey = Reloadable<string?>("EDGEPROXY_UPSTREAM_CLIENT_KEY", null, TryParseOptionalPath, null,
        "its private key (default NGX_SSL_KEY)", Masked, fileContent: true);
    public static readonly StartupProperty<IReadOnlyList<string>> DrPaths = Startup<IReadOnlyList<string>>("EDGEPROXY_DR_PATHS", "/drapi/", ValueParsers.TryParsePathPrefixes, [],
        "path prefixes forwarded to the active Digital Routing node");
    public static readonly StartupProperty<IReadOnlyList<string>> DataConnPaths = Startup<IReadOnlyList<string>>("EDGEPROXY_DATACONN_PATHS", "/dataconn/", ValueParsers.TryParsePathPrefixes, [],
        "path prefixes forwarded to the publisher only");
    public static readonly ReloadableProperty<IReadOnlyList<string>> BlockedPaths = Reloadable<IReadOnlyList<string>>("EDGEPROXY_BLOCKED_PATHS", "/drapi/v1/config|/drapi/v1/status",
        ValueParsers.TryParsePathPrefixes, [], "path prefixes answered 404 without contacting a node");
    public static readonly StartupProperty<string> TrackingHeader = Startup<string>("EDGEPROXY_TRACKING_HEADER", "TrackingID", TryParseRequiredHeaderName, "",
        "request tracking header, kept or generated, forwarded and echoed");
    public static readonly StartupProperty<LogFormat> LogFormat = Startup<LogFormat>("EDGEPROXY_LOG_FORMAT", "json", TryParseLogFormat, Configuration.LogFormat.Json,
        "log format on stdout: json or text");
    public static readonly StartupProperty<bool> Environment = Startup<bool>("EDGEPROXY_ENVIRONMENT", "production", TryParseEnvironment, false,
        "'lab' marks the local lab (silences the sample-certificate warning)");
    public static readonly ReloadableProperty<TimeSpan> ShutdownDelay = Reloadable<TimeSpan>("EDGEPROXY_SHUTDOWN_DELAY", "3s", TryParseSeconds, TimeSpan.Zero,
        "on SIGTERM, /readyz answers 503 at once and traffic is still served this long (so a load balancer takes the instance out), then in-flight requests drain for up to 6 s; 3 s + 6 s fit Docker's default 10 s stop timeout");

    private static readonly Dictionary<string, PropertyDefinition> ByName =
        Registered.SelectMany(p => p.Names.Select(name => (name, p))).ToDictionary(e => e.name, e => e.p, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> ByNameIgnoringCase =
        ByName.Keys.ToDictionary(name => name, name => name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every descriptor, in declaration order (the order <c>check</c> prints).</summary>
    public static IReadOnlyList<PropertyDefinition> All => Registered;

    /// <summary>The descriptor for a key or one of its aliases; keys are case-sensitive, as in Cisco's files.</summary>
    public static PropertyDefinition? Find(string key) => ByName.GetValueOrDefault(key);

    /// <summary>The known key (or alias) spelt like <paramref name="key"/> but for letter case, e.g. <c>NGX_ERR_LOG_LEVEL</c> for <c>ngx_err_log_level</c>.</summary>
    public static string? FindIgnoringCase(string key) => ByNameIgnoringCase.GetValueOrDefault(key);

    /// <summary>The known key closest to <paramref name="key"/>, for a did-you-mean hint.</summary>
    public static string? Suggest(string key)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in ByName.Keys)
        {
            var distance = EditDistance(key, name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return bestDistance <= Math.Max(3, key.Length / 4) ? best : null;
    }

    private static StartupProperty<T> Startup<T>(string name, string? defaultValue, ValueParser<T> parse, T unset, string description,
        PropertyFlags flags = None, IReadOnlyList<string>? aliases = null) =>
        Register(new StartupProperty<T>(name, defaultValue, parse, unset, description, flags, aliases));

    private static ReloadableProperty<T> Reloadable<T>(string name, string? defaultValue, ValueParser<T> parse, T unset, string description,
        PropertyFlags flags = None, bool fileContent = false) =>
        Register(new ReloadableProperty<T>(name, defaultValue, parse, unset, description, flags, fileContent));

    private static TProperty Register<TProperty>(TProperty property) where TProperty : PropertyDefinition
    {
        Registered.Add(property);
        return property;
    }

    // Levenshtein distance; a few dozen short keys, so the simple two-row form is enough.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
