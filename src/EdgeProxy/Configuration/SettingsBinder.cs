using System.Net;
using System.Security.Authentication;
using EdgeProxy.Admission;
using Serilog.Events;

namespace EdgeProxy.Configuration;

/// <summary>
/// Turns the merged env values into <see cref="EdgeProxySettings"/>. Collects every error (key, file,
/// line, what is valid) instead of stopping at the first, like YARP's config validators.
/// </summary>
public static class SettingsBinder
{
    private delegate bool Parser<T>(string value, out T result, out string error);

    public static EdgeProxySettings? Bind(EnvSet env, List<ConfigError> errors, List<ConfigNotice> notices)
    {
        var r = new Reader(env, errors);
        var serverCertificate = r.Path(EnvKeys.ServerCertificate);
        var serverKey = r.Path(EnvKeys.ServerKey);
        var clientIps = r.Get<IReadOnlyList<IPNetwork>>(EnvKeys.ClientIps, ParseNetworks, []);
        var errorsBeforeLoadBalancers = errors.Count;
        var loadBalancers = r.Get<IReadOnlyList<IPNetwork>>(EnvKeys.LoadBalancerIps, ParseNetworks, []);
        var loadBalancersInvalid = errors.Count > errorsBeforeLoadBalancers;
        var realIpHeader = r.Get<string>(EnvKeys.RealIpHeader, ParseHeaderName, "") is { Length: > 0 } header ? header : null;
        var trafficRestricted = r.Get<bool>(EnvKeys.TrafficRestricted, ValueParsers.TryParseBool, false);
        var publisher = r.Get<NodeAddress?>(EnvKeys.Publisher, ValueParsers.TryParseNodeAddress, null);
        var subscriber = r.Get<NodeAddress?>(EnvKeys.Subscriber, ValueParsers.TryParseNodeAddress, null);
        var drPaths = r.Get<IReadOnlyList<string>>(EnvKeys.DrPaths, ValueParsers.TryParsePathPrefixes, []);
        var dataConnPaths = r.Get<IReadOnlyList<string>>(EnvKeys.DataConnPaths, ValueParsers.TryParsePathPrefixes, []);

        var settings = new EdgeProxySettings
        {
            BindAddress = r.Get<IPAddress?>(EnvKeys.BindingIp, ParseAddress, null),
            Port = r.Int(EnvKeys.Port, 0, 65535),
            ExternalHostName = r.Get<string>(EnvKeys.ExternalHostName, ParseHostName, ""),
            InternalBindAddress = r.Get<IPAddress?>(EnvKeys.InternalBindingIp, ParseAddress, null) ?? IPAddress.Loopback,
            StatusPort = r.Int(EnvKeys.StatusPort, 0, 65535),
            Publisher = publisher ?? new NodeAddress("invalid", NodeAddress.DefaultPort),
            Subscriber = subscriber ?? new NodeAddress("invalid", NodeAddress.DefaultPort),
            ClientNetworks = clientIps,
            LoadBalancerNetworks = loadBalancers,
            RealIpHeader = realIpHeader,
            TrafficRestricted = trafficRestricted,
            RateLimitExemptNetworks = r.Get<IReadOnlyList<IPNetwork>>(EnvKeys.RateLimitExemptIps, ParseNetworks, []),
            ServerCertificatePath = serverCertificate,
            ServerKeyPath = serverKey,
            TrustBundlePath = r.Path(EnvKeys.TrustBundle),
            UpstreamClientCertificatePath = r.Has(EnvKeys.UpstreamClientCertificate) ? r.Path(EnvKeys.UpstreamClientCertificate) : serverCertificate,
            UpstreamClientKeyPath = r.Has(EnvKeys.UpstreamClientKey) ? r.Path(EnvKeys.UpstreamClientKey) : serverKey,
            VerifyDepth = r.Int(EnvKeys.SslVerifyDepth, 1, 100),
            InboundProtocols = r.Get<SslProtocols>(EnvKeys.SslProtocols, ValueParsers.TryParseTlsProtocols, SslProtocols.Tls12 | SslProtocols.Tls13),
            HealthCheckPath = r.Get<string>(EnvKeys.HealthCheckApi, ParseProbePath, "/drapi/v1/ping"),
            HealthCheckInterval = r.Get<TimeSpan>(EnvKeys.HealthCheckInterval, ParseMilliseconds, TimeSpan.FromSeconds(2)),
            HealthCheckTimeout = r.Get<TimeSpan>(EnvKeys.HealthCheckTimeout, ParseMilliseconds, TimeSpan.FromSeconds(2)),
            HealthCheckRise = r.Int(EnvKeys.HealthCheckRise, 1, 100),
            HealthCheckFall = r.Int(EnvKeys.HealthCheckFall, 1, 100),
            HealthCheckCodes = r.Get<IReadOnlySet<int>>(EnvKeys.HealthCheckCodes, ValueParsers.TryParseStatusCodes, new HashSet<int> { 200 }),
            DrRate = r.Get<RequestRate>(EnvKeys.DrRate, ValueParsers.TryParseRate, default),
            DrBurst = r.Int(EnvKeys.DrBurst, 0, 1_000_000),
            UserSyncRate = r.Get<RequestRate>(EnvKeys.UserSyncRate, ValueParsers.TryParseRate, default),
            UserSyncBurst = r.Int(EnvKeys.UserSyncBurst, 0, 1_000_000),
            LimitReqStatus = r.Int(EnvKeys.LimitReqStatus, 400, 599),
            Http1ConnectionLimit = r.Int(EnvKeys.Http1ConnLimit, 1, 1_000_000),
            Http2StreamLimit = r.Int(EnvKeys.Http2ConnLimit, 1, 1_000_000),
            UpstreamKeepalive = r.Int(EnvKeys.UpstreamKeepalive, 1, 100_000),
            MaxBodySize = r.Get<long>(EnvKeys.MaxBodySize, ValueParsers.TryParseSize, 15L << 20),
            ClientHeaderTimeout = r.Get<TimeSpan>(EnvKeys.ClientHeaderTimeout, ParseSeconds, TimeSpan.FromSeconds(10)),
            ClientBodyTimeout = r.Get<TimeSpan>(EnvKeys.ClientBodyTimeout, ParseSeconds, TimeSpan.FromSeconds(10)),
            KeepaliveTimeout = r.Get<TimeSpan>(EnvKeys.KeepaliveTimeout, ParseSeconds, TimeSpan.FromSeconds(20)),
            KeepaliveRequests = r.Int(EnvKeys.KeepaliveRequests, 1, 1_000_000),
            Http2MaxConcurrentStreams = r.Int(EnvKeys.Http2MaxStreams, 1, 10_000),
            LogLevel = r.Get<LogEventLevel>(EnvKeys.LogLevel, ValueParsers.TryParseLogLevel, LogEventLevel.Information),
            LogFormat = r.Get<LogFormat>(EnvKeys.LogFormat, ParseLogFormat, LogFormat.Json),
            DrPaths = drPaths,
            DataConnPaths = dataConnPaths,
            BlockedPaths = r.Get<IReadOnlyList<string>>(EnvKeys.BlockedPaths, ValueParsers.TryParsePathPrefixes, []),
            TrackingHeader = r.Get<string>(EnvKeys.TrackingHeader, ParseHeaderName, "TrackingID"),
            IsLab = r.Get<bool>(EnvKeys.Environment, ParseEnvironment, false),
        };

        CheckRules(r, settings, loadBalancersInvalid, notices);
        return errors.Count == 0 ? settings : null;
    }

    // Cross-property rules: Cisco's load-balancer pairing, and settings EdgeProxy refuses to weaken.
    private static void CheckRules(Reader r, EdgeProxySettings s, bool loadBalancersInvalid, List<ConfigNotice> notices)
    {
        // An invalid NGX_LOAD_BALANCER_IPS is already reported; calling it "empty" as well would mislead.
        if (s.RealIpHeader is not null && s.LoadBalancerNetworks.Count == 0 && !loadBalancersInvalid)
        {
            r.Error(EnvKeys.RealIpHeader, $"is set but {EnvKeys.LoadBalancerIps} is empty; set both (trusted load balancers and their client-address header) or neither");
        }

        if (s.RealIpHeader is null && s.LoadBalancerNetworks.Count > 0)
        {
            r.Error(EnvKeys.LoadBalancerIps, $"is set but {EnvKeys.RealIpHeader} is empty; set both (e.g. {EnvKeys.RealIpHeader}=X-Forwarded-For) or neither");
        }

        if (s.TrafficRestricted && s.LoadBalancerNetworks.Count == 0 && !loadBalancersInvalid)
        {
            r.Error(EnvKeys.TrafficRestricted, $"is true but {EnvKeys.LoadBalancerIps} is empty, so no peer could connect");
        }

        if (r.Has(EnvKeys.SslVerify) && r.Get<bool>(EnvKeys.SslVerify, ValueParsers.TryParseBool, true) == false)
        {
            r.Error(EnvKeys.SslVerify, "EdgeProxy always verifies Cloud Connect node certificates; set it to 'on' or remove it");
        }

        if (r.Has(EnvKeys.HealthCheckSslVerify) && r.Get<bool>(EnvKeys.HealthCheckSslVerify, ValueParsers.TryParseBool, true) == false)
        {
            notices.Add(new ConfigNotice(true, $"{EnvKeys.HealthCheckSslVerify}=FALSE is ignored: health probes always use the same verified mutual TLS as traffic"));
        }

        if (s.HealthCheckInterval < TimeSpan.FromMilliseconds(100))
        {
            r.Error(EnvKeys.HealthCheckInterval, "must be at least 100 ms");
        }

        if (s.HealthCheckTimeout < TimeSpan.FromMilliseconds(50))
        {
            r.Error(EnvKeys.HealthCheckTimeout, "must be at least 50 ms");
        }

        // Prefixes match case-insensitively, and a request matching both would silently go to DR: any prefix overlap is an error.
        foreach (var dataConn in s.DataConnPaths)
        {
            foreach (var dr in s.DrPaths)
            {
                if (dataConn.Equals(dr, StringComparison.OrdinalIgnoreCase))
                {
                    r.Error(EnvKeys.DataConnPaths, $"'{dataConn}' is also in {EnvKeys.DrPaths}; a path goes to one place only");
                }
                else if (dataConn.StartsWith(dr, StringComparison.OrdinalIgnoreCase) || dr.StartsWith(dataConn, StringComparison.OrdinalIgnoreCase))
                {
                    r.Error(EnvKeys.DataConnPaths, $"'{dataConn}' overlaps '{dr}' in {EnvKeys.DrPaths}; a path goes to one place only");
                }
            }
        }

        if (s.Publisher == s.Subscriber && s.Publisher.Host != "invalid")
        {
            notices.Add(new ConfigNotice(true, $"{EnvKeys.Publisher} and {EnvKeys.Subscriber} are the same node ({s.Publisher}); there is no failover"));
        }
    }

    private static bool ParseNetworks(string value, out IReadOnlyList<IPNetwork> networks, out string error)
    {
        var list = new List<IPNetwork>();
        networks = list;
        error = "";
        var problems = new List<string>();
        foreach (var part in ValueParsers.SplitList(value))
        {
            if (IpAddressGrammar.TryParseNetwork(part, out var network, out var problem))
            {
                list.Add(network);
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (problems.Count == 0)
        {
            return true;
        }

        error = problems.Count == 1 ? problems[0] : $"{problems.Count} invalid entries: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; ..." : "")}";
        return false;
    }

    private static bool ParseAddress(string value, out IPAddress? address, out string error)
    {
        error = IpAddressGrammar.TryParseAddress(value.AsSpan().Trim(), out address) ? "" : $"'{value}' is not an IP address";
        return address is not null;
    }

    private static bool ParseHostName(string value, out string host, out string error)
    {
        host = value.Trim();
        error = ValueParsers.IsValidHost(host) ? "" : $"'{value}' is not a host name (e.g. cloudconnect-proxy.example.com)";
        return error.Length == 0;
    }

    private static bool ParseHeaderName(string value, out string header, out string error)
    {
        header = value.Trim();
        error = ValueParsers.IsValidHeaderName(header) ? "" : $"'{value}' is not an HTTP header name";
        return error.Length == 0;
    }

    private static bool ParseProbePath(string value, out string path, out string error)
    {
        path = value.Trim();
        error = path.StartsWith('/') && !path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "" : $"'{value}' is not a path (e.g. /drapi/v1/ping)";
        return error.Length == 0;
    }

    private static bool ParseMilliseconds(string value, out TimeSpan result, out string error) =>
        ValueParsers.TryParseDuration(value, TimeSpan.FromMilliseconds(1), out result, out error);

    private static bool ParseSeconds(string value, out TimeSpan result, out string error) =>
        ValueParsers.TryParseDuration(value, TimeSpan.FromSeconds(1), out result, out error);

    private static bool ParseLogFormat(string value, out LogFormat format, out string error)
    {
        error = "";
        (var ok, format) = value.Trim().ToLowerInvariant() switch
        {
            "json" => (true, LogFormat.Json),
            "text" => (true, LogFormat.Text),
            _ => (false, LogFormat.Json),
        };
        if (!ok)
        {
            error = $"'{value}' is not a log format (json or text)";
        }

        return ok;
    }

    private static bool ParseEnvironment(string value, out bool isLab, out string error)
    {
        var text = value.Trim().ToLowerInvariant();
        isLab = text == "lab";
        error = text is "lab" or "production" ? "" : $"'{value}' is not an environment (lab or production)";
        return error.Length == 0;
    }

    /// <summary>Reads raw values (file, environment or catalog default) and records parse errors with their origin.</summary>
    private sealed class Reader(EnvSet env, List<ConfigError> errors)
    {
        public bool Has(string key) => env.Values.TryGetValue(key, out var entry) && entry.Value.Trim().Length > 0;

        public void Error(string key, string message) =>
            errors.Add(new ConfigError(env.Values.TryGetValue(key, out var entry) ? entry.Origin : null, key, message));

        public T Get<T>(string key, Parser<T> parse, T fallback)
        {
            var definition = PropertyCatalog.Find(key) ?? throw new InvalidOperationException($"{key} is not in the catalog");
            string raw;
            EnvOrigin? origin = null;
            if (Has(key))
            {
                var entry = env.Values[key];
                raw = entry.Value;
                origin = entry.Origin;
            }
            else if (definition.Default is { } defaultValue)
            {
                raw = defaultValue;
            }
            else
            {
                if (definition.Required)
                {
                    errors.Add(new ConfigError(env.Values.GetValueOrDefault(key)?.Origin, key, $"is required ({definition.Description})"));
                }

                return fallback;
            }

            if (parse(raw, out var result, out var message))
            {
                return result;
            }

            errors.Add(new ConfigError(origin ?? EnvOrigin.Default, key, message));
            return fallback;
        }

        public int Int(string key, int min, int max) =>
            Get(key, (string value, out int result, out string error) => ValueParsers.TryParseInt(value, min, max, out result, out error), 0);

        public string Path(string key) =>
            Get(key, (string value, out string result, out string error) =>
            {
                result = value.Trim();
                error = result.Length > 0 && result.IndexOfAny(['\0', '\n']) < 0 ? "" : $"'{value}' is not a file path";
                return error.Length == 0;
            }, "");
    }
}
