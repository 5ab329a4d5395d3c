using static EdgeProxy.Configuration.ReloadBehavior;

namespace EdgeProxy.Configuration;

/// <summary>Every env property EdgeProxy honours, with Cisco's default. The README documents each one (a test checks it).</summary>
public static class PropertyCatalog
{
    /// <summary>The addresses in Cisco's default <c>NGX_CLOUDCONNECT_CLIENT_IPS</c> (Webex Connect, all data centres).</summary>
    public const string CiscoDefaultClientIps =
        "35.161.238.252|35.166.68.236|52.40.46.90|34.240.73.178|52.214.81.91|52.17.23.194|3.9.155.97|3.9.151.19|54.206.189.15|52.62.185.51|13.210.45.137|3.105.22.233";

    public static IReadOnlyList<PropertyDefinition> All { get; } =
    [
        new(EnvKeys.Port, "443", false, Restart, false, "HTTPS listen port"),
        new(EnvKeys.ExternalHostName, null, true, Restart, false, "the proxy's external FQDN; sent as Host to the nodes"),
        new(EnvKeys.BindingIp, null, false, Restart, false, "listen address (all interfaces when empty)"),
        new(EnvKeys.InternalBindingIp, "127.0.0.1", false, Restart, false, "address of the status/metrics listener"),
        new(EnvKeys.StatusPort, "10001", false, Restart, false, "status/metrics port (internal only)"),
        new(EnvKeys.Publisher, null, true, Restart, false, "publisher node, host[:port] (port 8445 when absent)"),
        new(EnvKeys.Subscriber, null, true, Restart, false, "subscriber node, host[:port] (port 8445 when absent)"),
        new(EnvKeys.ClientIps, CiscoDefaultClientIps, false, Hot, false, "admitted client addresses and CIDR blocks, IPv4 or IPv6"),
        new(EnvKeys.LoadBalancerIps, null, false, Hot, false, "trusted load balancer/WAF addresses or CIDR blocks"),
        new(EnvKeys.RealIpHeader, null, false, Hot, false, "header carrying the client address from a trusted load balancer, or proxy_protocol"),
        new(EnvKeys.TrafficRestricted, "false", false, Hot, false, "true: only NGX_LOAD_BALANCER_IPS peers may connect"),
        new(EnvKeys.RateLimitExemptIps, null, false, Hot, false, "addresses or CIDR blocks exempt from rate limits"),
        new(EnvKeys.ServerCertificate, null, true, HotFile, false, "proxy server certificate (PEM, chain after the leaf)"),
        new(EnvKeys.ServerKey, null, true, HotFile, true, "proxy server private key (PEM)"),
        new(EnvKeys.TrustBundle, null, true, HotFile, false, "CA bundle (PEM) that signs the Cloud Connect node certificates"),
        new(EnvKeys.SslVerify, "on", false, Restart, false, "verify node certificates; EdgeProxy refuses 'off'"),
        new(EnvKeys.SslVerifyDepth, "10", false, Restart, false, "maximum node certificate chain depth"),
        new(EnvKeys.SslProtocols, "TLSv1.2", false, Restart, false, "inbound TLS versions (TLSv1.2 also enables TLSv1.3)"),
        new(EnvKeys.HealthCheckApi, "/drapi/v1/ping", false, Restart, false, "health probe path"),
        new(EnvKeys.HealthCheckInterval, "2000", false, Hot, false, "probe interval, milliseconds"),
        new(EnvKeys.HealthCheckTimeout, "2000", false, Hot, false, "probe timeout, milliseconds"),
        new(EnvKeys.HealthCheckRise, "2", false, Hot, false, "consecutive successes that make a node healthy"),
        new(EnvKeys.HealthCheckFall, "2", false, Hot, false, "consecutive failures that make a node unhealthy"),
        new(EnvKeys.HealthCheckCodes, "{200}", false, Hot, false, "status codes a healthy (active) node answers the probe with"),
        new(EnvKeys.HealthCheckSslVerify, null, false, Hot, false, "accepted for compatibility; probes are always verified mTLS (a warning is logged for FALSE)"),
        new(EnvKeys.DrRate, "100r/s", false, Hot, false, "Digital Routing request rate per client address"),
        new(EnvKeys.DrBurst, "200", false, Hot, false, "Digital Routing burst per client address"),
        new(EnvKeys.UserSyncRate, "5r/m", false, Hot, false, "DataConn callback rate per client address"),
        new(EnvKeys.UserSyncBurst, "10", false, Hot, false, "DataConn callback burst per client address"),
        new(EnvKeys.LimitReqStatus, "429", false, Hot, false, "status returned when rate-limited"),
        new(EnvKeys.Http1ConnLimit, "50", false, Hot, false, "HTTP/1.1 connections per client address"),
        new(EnvKeys.Http2ConnLimit, "250", false, Hot, false, "concurrent HTTP/2 streams per client address"),
        new(EnvKeys.UpstreamKeepalive, "150", false, Restart, false, "pooled upstream connections per node"),
        new(EnvKeys.MaxBodySize, "15m", false, Hot, false, "request body limit (nginx size: 1024, 512k, 15m)"),
        new(EnvKeys.ClientHeaderTimeout, "10s", false, Restart, false, "time allowed to receive request headers"),
        new(EnvKeys.ClientBodyTimeout, "10s", false, Restart, false, "time allowed between body reads"),
        new(EnvKeys.KeepaliveTimeout, "20s", false, Restart, false, "idle client keep-alive"),
        new(EnvKeys.KeepaliveRequests, "500", false, Restart, false, "requests per client connection"),
        new(EnvKeys.Http2MaxStreams, "150", false, Restart, false, "HTTP/2 concurrent streams per connection"),
        new(EnvKeys.LogLevel, "info", false, Hot, false, "log level (debug, info, notice, warn, error, crit)"),
        new(EnvKeys.UpstreamClientCertificate, null, false, HotFile, false, "client certificate for mTLS to the nodes (default NGX_SSL_CRT)"),
        new(EnvKeys.UpstreamClientKey, null, false, HotFile, true, "its private key (default NGX_SSL_KEY)"),
        new(EnvKeys.DrPaths, "/drapi/", false, Restart, false, "path prefixes forwarded to the active Digital Routing node"),
        new(EnvKeys.DataConnPaths, "/dataconn/", false, Restart, false, "path prefixes forwarded to the publisher only"),
        new(EnvKeys.BlockedPaths, "/drapi/v1/config|/drapi/v1/status", false, Hot, false, "path prefixes answered 404 without contacting a node"),
        new(EnvKeys.TrackingHeader, "TrackingID", false, Restart, false, "request tracking header, kept or generated, forwarded and echoed"),
        new(EnvKeys.LogFormat, "json", false, Restart, false, "log format on stdout: json or text"),
        new(EnvKeys.Environment, "production", false, Restart, false, "'lab' marks the local lab (silences the sample-certificate warning)"),
    ];

    private static readonly Dictionary<string, PropertyDefinition> ByName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static PropertyDefinition? Find(string key) => ByName.GetValueOrDefault(key);

    /// <summary>The known <c>EDGEPROXY_</c> key closest to <paramref name="key"/>, for a did-you-mean hint.</summary>
    public static string? Suggest(string key)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var property in All)
        {
            var distance = EditDistance(key, property.Name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (property.Name, distance);
            }
        }

        return bestDistance <= Math.Max(3, key.Length / 4) ? best : null;
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
