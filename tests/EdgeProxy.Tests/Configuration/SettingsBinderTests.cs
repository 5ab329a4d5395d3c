using System.Net;
using System.Security.Authentication;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;
using Serilog.Events;

namespace EdgeProxy.Tests.Configuration;

public sealed class SettingsBinderTests : IDisposable
{
    private static readonly string[] RequiredKeyNames =
    [
        PropertyCatalog.ExternalHostName.Name, PropertyCatalog.Publisher.Name, PropertyCatalog.Subscriber.Name, PropertyCatalog.ServerCertificate.Name, PropertyCatalog.ServerKey.Name, PropertyCatalog.TrustBundle.Name,
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private TestEnv.Bound Bind(string extra = "", IReadOnlyDictionary<string, string>? environment = null) =>
        TestEnv.Bind(_dir, TestEnv.RequiredKeys + "\n" + extra, environment);

    [Fact]
    public void Bind_OnlyRequiredKeys_CiscoDefaults()
    {
        var bound = Bind();

        Assert.Empty(bound.Errors);
        Assert.Empty(bound.Notices);
        var s = Assert.IsType<EdgeProxySettings>(bound.Settings);
        Assert.Null(s.BindAddress);
        Assert.Equal(443, s.Port);
        Assert.Equal("proxy.example.com", s.ExternalHostName);
        Assert.Equal(IPAddress.Loopback, s.InternalBindAddress);
        Assert.Equal(10001, s.StatusPort);
        Assert.Equal(new NodeAddress("publisher.example.com", 8445), s.Publisher);
        Assert.Equal(new NodeAddress("subscriber.example.com", 8445), s.Subscriber);
        Assert.Equal(
            [
                "35.161.238.252/32", "35.166.68.236/32", "52.40.46.90/32", "34.240.73.178/32", "52.214.81.91/32", "52.17.23.194/32",
                "3.9.155.97/32", "3.9.151.19/32", "54.206.189.15/32", "52.62.185.51/32", "13.210.45.137/32", "3.105.22.233/32",
            ],
            s.ClientNetworks.Select(n => n.ToString()));
        Assert.Empty(s.LoadBalancerNetworks);
        Assert.Null(s.RealIpHeader);
        Assert.False(s.TrafficRestricted);
        Assert.Empty(s.RateLimitExemptNetworks);
        Assert.Equal("/certs/proxy.crt", s.ServerCertificatePath);
        Assert.Equal("/certs/proxy.key", s.ServerKeyPath);
        Assert.Equal("/certs/ca.crt", s.TrustBundlePath);
        Assert.Equal("/certs/proxy.crt", s.UpstreamClientCertificatePath);
        Assert.Equal("/certs/proxy.key", s.UpstreamClientKeyPath);
        Assert.Equal(10, s.VerifyDepth);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, s.InboundProtocols);
        Assert.Equal("/drapi/v1/ping", s.HealthCheckPath);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), s.HealthCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), s.HealthCheckTimeout);
        Assert.Equal(2, s.HealthCheckRise);
        Assert.Equal(2, s.HealthCheckFall);
        Assert.Equal([200], s.HealthCheckCodes);
        Assert.Equal(new RequestRate(100, TimeSpan.FromSeconds(1)), s.DrRate);
        Assert.Equal(200, s.DrBurst);
        Assert.Equal(new RequestRate(5, TimeSpan.FromMinutes(1)), s.UserSyncRate);
        Assert.Equal(10, s.UserSyncBurst);
        Assert.Equal(429, s.LimitReqStatus);
        Assert.Equal(50, s.Http1ConnectionLimit);
        Assert.Equal(250, s.Http2StreamLimit);
        Assert.Equal(150, s.UpstreamKeepalive);
        Assert.Equal(15L * 1024 * 1024, s.MaxBodySize);
        Assert.Equal(TimeSpan.FromSeconds(10), s.ClientHeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), s.ClientBodyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), s.KeepaliveTimeout);
        Assert.Equal(500, s.KeepaliveRequests);
        Assert.Equal(150, s.Http2MaxConcurrentStreams);
        Assert.Equal(LogEventLevel.Information, s.LogLevel);
        Assert.Equal(LogFormat.Json, s.LogFormat);
        Assert.Equal(["/drapi/"], s.DrPaths);
        Assert.Equal(["/dataconn/"], s.DataConnPaths);
        Assert.Equal(["/drapi/v1/config", "/drapi/v1/status"], s.BlockedPaths);
        Assert.Equal("TrackingID", s.TrackingHeader);
        Assert.False(s.IsLab);
        Assert.False(s.RateLimitDryRun);
        Assert.False(s.ConnectionLimitDryRun);
        Assert.Equal(503, s.ConnectionLimitStatus);
        Assert.True(s.VerifyNodeCertificates);
    }

    [Fact]
    public void Bind_EveryDescriptor_ReadByTheBinder()
    {
        var path = _dir.Write("test.env", TestEnv.RequiredKeys);
        var errors = new List<ConfigError>();
        var reader = new SettingsReader(TestEnv.LoadFile(path), errors);

        Assert.NotNull(SettingsBinder.Bind(reader, errors, []));
        Assert.Equal(PropertyCatalog.All.Select(p => p.Name).Order(), reader.Read.Select(p => p.Name).Order());
    }

    public static TheoryData<string, string, object> CiscoCoreKeys => new()
    {
        { "NGX_LIMIT_REQ_DRY_RUN=on", nameof(EdgeProxySettings.RateLimitDryRun), true },
        { "NGX_LIMIT_REQ_DRY_RUN=\"off\"", nameof(EdgeProxySettings.RateLimitDryRun), false },
        { "NGX_LIMIT_REQ_DRY_RUN=TRUE", nameof(EdgeProxySettings.RateLimitDryRun), true },
        { "NGX_LIMIT_CONN_DRY_RUN=on", nameof(EdgeProxySettings.ConnectionLimitDryRun), true },
        { "NGX_LIMIT_CONN_DRY_RUN=off", nameof(EdgeProxySettings.ConnectionLimitDryRun), false },
        { "NGX_LIMIT_CONN_STATUS=429", nameof(EdgeProxySettings.ConnectionLimitStatus), 429 },
        { "NGX_LIMIT_CONN_STATUS=\"503\"", nameof(EdgeProxySettings.ConnectionLimitStatus), 503 },
        { "NGX_PRXY_STATUS_IP=127.0.0.5", nameof(EdgeProxySettings.InternalBindAddress), IPAddress.Parse("127.0.0.5") },
        { "NGX_PRXY_STATUS_IP=\"\"", nameof(EdgeProxySettings.InternalBindAddress), IPAddress.Loopback },
        { "NGX_PRXY_STATUS_IP=127.0.0.5\nPROXY_BINDING_INTERNAL_IP=127.0.0.5", nameof(EdgeProxySettings.InternalBindAddress), IPAddress.Parse("127.0.0.5") },
        { "NGX_PRXY_STATUS_IP=127.0.0.5\nPROXY_BINDING_INTERNAL_IP=\"\"", nameof(EdgeProxySettings.InternalBindAddress), IPAddress.Parse("127.0.0.5") },
    };

    [Theory]
    [MemberData(nameof(CiscoCoreKeys))]
    public void Bind_CiscoCoreKey_Parsed(string lines, string property, object expected)
    {
        var bound = Bind(lines);

        Assert.Empty(bound.Errors);
        Assert.Equal(expected, typeof(EdgeProxySettings).GetProperty(property)!.GetValue(bound.Settings));
    }

    public static TheoryData<string, string, string> CiscoCoreKeysInvalid => new()
    {
        { "NGX_LIMIT_REQ_DRY_RUN=dry", "NGX_LIMIT_REQ_DRY_RUN", "'dry' is not a boolean (use true/false or on/off)" },
        { "NGX_LIMIT_CONN_DRY_RUN=2", "NGX_LIMIT_CONN_DRY_RUN", "'2' is not a boolean (use true/false or on/off)" },
        { "NGX_LIMIT_CONN_STATUS=200", "NGX_LIMIT_CONN_STATUS", "'200' is not a whole number from 400 to 599" },
        { "NGX_LIMIT_CONN_STATUS=503x", "NGX_LIMIT_CONN_STATUS", "'503x' is not a whole number from 400 to 599" },
        { "NGX_PRXY_STATUS_IP=localhost", "NGX_PRXY_STATUS_IP", "'localhost' is not an IP address" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY=0", "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY", "'0' is not a whole number from 1 to 1000000" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY=-2", "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY", "'-2' is not a whole number from 1 to 1000000" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY=two", "NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY", "'two' is not a whole number from 1 to 1000000" },
    };

    [Theory]
    [MemberData(nameof(CiscoCoreKeysInvalid))]
    public void Bind_CiscoCoreKeyInvalid_ErrorAtItsLineWithWhatIsValid(string line, string key, string message)
    {
        var bound = Bind(line);

        Assert.Null(bound.Settings);
        Assert.Equal($"{bound.Path}:7: {key}: {message}", Assert.Single(bound.Errors).ToString());
    }

    [Fact]
    public void Bind_StatusIpAndInternalBindingIpDiffer_ErrorNamingBothKeysAndLines()
    {
        var bound = Bind("PROXY_BINDING_INTERNAL_IP=127.0.0.1\nNGX_PRXY_STATUS_IP=127.0.0.2");

        Assert.Null(bound.Settings);
        Assert.Equal(
            $"{bound.Path}:8: NGX_PRXY_STATUS_IP: '127.0.0.2' differs from PROXY_BINDING_INTERNAL_IP='127.0.0.1' ({bound.Path}:7); " +
            "both set the address of the status/metrics listener: set one of them, or both to the same value",
            Assert.Single(bound.Errors).ToString());
    }

    [Fact]
    public void Bind_StatusIpFromEnvironmentDiffersFromFile_ErrorNamesEnvironment()
    {
        var bound = Bind("PROXY_BINDING_INTERNAL_IP=127.0.0.1", new Dictionary<string, string> { ["NGX_PRXY_STATUS_IP"] = "0.0.0.0" });

        var error = Assert.Single(bound.Errors);
        Assert.Equal("environment: NGX_PRXY_STATUS_IP: '0.0.0.0' differs from PROXY_BINDING_INTERNAL_IP='127.0.0.1' " +
            $"({bound.Path}:7); both set the address of the status/metrics listener: set one of them, or both to the same value", error.ToString());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("\"16\"")]
    public void Bind_HealthCheckConcurrencySet_InfoNoticeNoError(string value)
    {
        var bound = Bind("NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY=" + value);

        Assert.Empty(bound.Errors);
        var notice = Assert.Single(bound.Notices);
        Assert.False(notice.IsWarning);
        Assert.Equal($"NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY={value.Trim('"')} has no effect: EdgeProxy always probes the two nodes concurrently", notice.Message);
    }

    [Fact]
    public void Bind_EveryCatalogDefault_ParsesWithoutError()
    {
        // An empty value falls back to the catalog default; a default that does not parse would be reported at "default".
        var extra = string.Join("\n", PropertyCatalog.All.Where(p => !p.Required).Select(p => p.Name + "="));

        var bound = Bind(extra);

        Assert.Empty(bound.Errors);
        Assert.NotNull(bound.Settings);
    }

    public static TheoryData<string> RequiredKeys => new(RequiredKeyNames);

    [Theory]
    [MemberData(nameof(RequiredKeys))]
    public void Bind_RequiredKeyMissing_IsRequiredError(string key)
    {
        var text = string.Join("\n", TestEnv.RequiredKeys.Split('\n').Where(line => !line.StartsWith(key + "=", StringComparison.Ordinal)));

        var bound = TestEnv.Bind(_dir, text);

        Assert.Null(bound.Settings);
        var error = Assert.Single(bound.Errors);
        Assert.Equal(key, error.Key);
        Assert.Null(error.Origin);
        Assert.Equal($"{key}: is required ({PropertyCatalog.Find(key)!.Description})", error.ToString());
    }

    [Fact]
    public void Bind_RequiredKeySetEmpty_IsRequiredErrorAtItsLine()
    {
        var bound = Bind("NGX_CLOUDCONNECT_HOSTNAME=\"\"");

        var error = Assert.Single(bound.Errors);
        Assert.Equal($"{bound.Path}:7: NGX_CLOUDCONNECT_HOSTNAME: is required (publisher node, host[:port] (port 8445 when absent))", error.ToString());
    }

    [Fact]
    public void Bind_NothingGiven_EveryRequiredKeyReported()
    {
        var bound = TestEnv.Bind(_dir, "# empty\n");

        Assert.Null(bound.Settings);
        Assert.Equal(RequiredKeyNames.Order(), bound.Errors.Select(e => e.Key!).Order());
        Assert.All(bound.Errors, e => Assert.StartsWith("is required (", e.Message));
    }

    [Fact]
    public void Bind_SeveralBadValues_AllReportedWithFileLineAndKey()
    {
        var extra = """
            NGX_PRXY_CLOUDCONNECT_PORT=https
            NGX_CLOUDCONNECT_CLIENT_IPS="35.161.238.252|10.1.2.3/8|not-an-ip"
            NGX_CLIENT_MAX_BODY_SIZE=15mb
            NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=100r/h
            NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES={}
            NGX_SSL_PROTO="TLSv1 TLSv1.2"
            NGX_KEEPALIVE_TIMEOUT=20x
            EDGEPROXY_LOG_FORMAT=xml
            """;

        var bound = Bind(extra);

        Assert.Null(bound.Settings);
        var f = bound.Path;
        Assert.Equal(
            [
                $"{f}:7: NGX_PRXY_CLOUDCONNECT_PORT: 'https' is not a whole number from 0 to 65535",
                $"{f}:8: NGX_CLOUDCONNECT_CLIENT_IPS: 2 invalid entries: '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?; 'not-an-ip' is not an IP address or CIDR block (e.g. 203.0.113.7, 2001:db8::1, 203.0.113.0/24)",
                $"{f}:9: NGX_CLIENT_MAX_BODY_SIZE: '15mb' is not a size (e.g. 1048576, 512k, 15m, 1g)",
                $"{f}:10: NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT: '100r/h' is not a rate (e.g. 100r/s or 5r/m, more than zero)",
                $"{f}:11: NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES: no status code given; write e.g. {{200}} or 200|204",
                $"{f}:12: NGX_SSL_PROTO: TLSv1 is insecure and not supported; use TLSv1.2 and/or TLSv1.3",
                $"{f}:13: NGX_KEEPALIVE_TIMEOUT: '20x' is not a time (e.g. 10s, 500ms, 1m, 1h 30m)",
                $"{f}:14: EDGEPROXY_LOG_FORMAT: 'xml' is not a log format (json or text)",
            ],
            bound.Errors.OrderBy(e => e.Origin!.Value.Line).Select(e => e.ToString()));
    }

    [Fact]
    public void Bind_ManyBadClientAddresses_FirstFiveListed()
    {
        var bound = Bind("NGX_CLOUDCONNECT_CLIENT_IPS=a|b|c|d|e|f|g");

        var error = Assert.Single(bound.Errors);
        Assert.StartsWith("7 invalid entries: 'a' is not an IP address", error.Message);
        Assert.Contains("'e' is not an IP address", error.Message);
        Assert.DoesNotContain("'f'", error.Message);
        Assert.EndsWith("; ...", error.Message);
    }

    [Fact]
    public void Bind_ValueFromEnvironmentBad_ErrorSaysEnvironment()
    {
        var bound = Bind(environment: new Dictionary<string, string> { [PropertyCatalog.DrBurst.Name] = "lots" });

        Assert.Equal("environment: NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT: 'lots' is not a whole number from 0 to 1000000", Assert.Single(bound.Errors).ToString());
    }

    public static TheoryData<string, string, string> OutOfRange => new()
    {
        { "NGX_PRXY_SSL_VERIFY_DEPTH=0", PropertyCatalog.SslVerifyDepth.Name, "'0' is not a whole number from 1 to 100" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_RISE=0", PropertyCatalog.HealthCheckRise.Name, "'0' is not a whole number from 1 to 100" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_FALL=101", PropertyCatalog.HealthCheckFall.Name, "'101' is not a whole number from 1 to 100" },
        { "NGX_CLOUDCONNECT_LIMIT_REQ_STATUS=200", PropertyCatalog.LimitReqStatus.Name, "'200' is not a whole number from 400 to 599" },
        { "NGX_PRXY_CLOUDCONNECT_PORT=65536", PropertyCatalog.Port.Name, "'65536' is not a whole number from 0 to 65535" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=50", PropertyCatalog.HealthCheckInterval.Name, "must be at least 100 ms" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT=10ms", PropertyCatalog.HealthCheckTimeout.Name, "must be at least 50 ms" },
        { "NGX_CLOUDCONNECT_HEALTHCHECK_API=drapi/v1/ping", PropertyCatalog.HealthCheckApi.Name, "'drapi/v1/ping' is not a path (e.g. /drapi/v1/ping)" },
        { "NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy_1.example.com", PropertyCatalog.ExternalHostName.Name, "'proxy_1.example.com' is not a host name (e.g. cloudconnect-proxy.example.com)" },
        { "PROXY_BINDING_IP=10.0.0.0/24", PropertyCatalog.BindingIp.Name, "'10.0.0.0/24' is not an IP address" },
        { "PROXY_BINDING_INTERNAL_IP=localhost", PropertyCatalog.InternalBindingIp.Name, "'localhost' is not an IP address" },
        { "PROXY_BINDING_IP=10.0.0.010", PropertyCatalog.BindingIp.Name, "'10.0.0.010' is not an IP address" },
        { "PROXY_BINDING_INTERNAL_IP=127.1", PropertyCatalog.InternalBindingIp.Name, "'127.1' is not an IP address" },
        { "NGX_CLOUDCONNECT_CLIENT_IPS=0313.0.113.7", PropertyCatalog.ClientIps.Name, "'0313.0.113.7' is not an IP address or CIDR block (e.g. 203.0.113.7, 2001:db8::1, 203.0.113.0/24)" },
        { "NGX_RATELIMIT_DISABLE_IPS=0x7f.0.0.1", PropertyCatalog.RateLimitExemptIps.Name, "'0x7f.0.0.1' is not an IP address or CIDR block (e.g. 203.0.113.7, 2001:db8::1, 203.0.113.0/24)" },
        { "NGX_CLOUDCONNECT_CLIENT_IPS=203.0.113.0/024", PropertyCatalog.ClientIps.Name, "'203.0.113.0/024' has an invalid prefix length (0-32)" },
        { "NGX_CLOUDCONNECT_HOSTNAME=0x7f.0.0.1", PropertyCatalog.Publisher.Name, "'0x7f.0.0.1' is not host[:port] (a DNS name or IP address, optional port, default 8445)" },
        { "EDGEPROXY_TRACKING_HEADER=Tracking ID", PropertyCatalog.TrackingHeader.Name, "'Tracking ID' is not an HTTP header name" },
        { "EDGEPROXY_ENVIRONMENT=staging", PropertyCatalog.Environment.Name, "'staging' is not an environment (lab or production)" },
        { "EDGEPROXY_DR_PATHS=drapi", PropertyCatalog.DrPaths.Name, "'drapi' is not a path prefix (must start with '/', no '//', ';', '?', '#' or '\\')" },
        { "NGX_ERR_LOG_LEVEL=verbose", PropertyCatalog.LogLevel.Name, "'verbose' is not a log level (debug, info, notice, warn, error, crit, alert, emerg)" },
        { "NGX_TRAFFIC_RESTRICTED=maybe", PropertyCatalog.TrafficRestricted.Name, "'maybe' is not a boolean (use true/false or on/off)" },
        { "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=sub:0", PropertyCatalog.Subscriber.Name, "'sub:0' has an invalid port (1-65535)" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Bind_BadValue_ErrorAtItsLineWithWhatIsValid(string line, string key, string message)
    {
        var bound = Bind(line);

        Assert.Null(bound.Settings);
        var error = Assert.Single(bound.Errors);
        Assert.Equal(key, error.Key);
        Assert.Equal(new EnvOrigin(bound.Path, 7), error.Origin);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Bind_CiscoValueForms_Parsed()
    {
        var extra = """
            NGX_PRXY_CLOUDCONNECT_PORT="8443"
            PROXY_BINDING_IP="::ffff:192.0.2.10"
            PROXY_BINDING_INTERNAL_IP=""
            NGX_CLOUDCONNECT_HOSTNAME="10.0.0.11:9443"
            NGX_CLOUDCONNECT_FAILOVER_HOSTNAME="[2001:db8::12]"
            NGX_CLOUDCONNECT_CLIENT_IPS="203.0.113.0/24, 2001:db8::/32 ::ffff:198.51.100.7"
            NGX_LOAD_BALANCER_IPS="192.162.1.0/24|10.78.95.76"
            NGX_LOAD_BALANCER_REAL_IP_HEADER="X-Real-IP"
            NGX_TRAFFIC_RESTRICTED="TRUE"
            NGX_RATELIMIT_DISABLE_IPS="192.168.1.69|127.0.0.1"
            NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES="200|204"
            NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL="1s"
            NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT="750"
            NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT="50r/s"
            NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_RATE_LIMIT="30r/m"
            NGX_CLIENT_MAX_BODY_SIZE="1g"
            NGX_CLIENT_HEADER_TIMEOUT="5"
            NGX_KEEPALIVE_TIMEOUT="1m 5s"
            NGX_ERR_LOG_LEVEL="warn"
            NGX_SSL_PROTO="TLSv1.3"
            EDGEPROXY_LOG_FORMAT=TEXT
            EDGEPROXY_ENVIRONMENT=Lab
            EDGEPROXY_BLOCKED_PATHS=/drapi/v1/config
            """;

        var bound = Bind(extra);

        Assert.Empty(bound.Errors);
        var s = bound.Settings!;
        Assert.Equal(8443, s.Port);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), s.BindAddress);
        Assert.Equal(IPAddress.Loopback, s.InternalBindAddress);
        Assert.Equal(new NodeAddress("10.0.0.11", 9443), s.Publisher);
        Assert.Equal(new NodeAddress("2001:db8::12", 8445), s.Subscriber);
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32"], s.ClientNetworks.Select(n => n.ToString()));
        Assert.Equal(["192.162.1.0/24", "10.78.95.76/32"], s.LoadBalancerNetworks.Select(n => n.ToString()));
        Assert.Equal("X-Real-IP", s.RealIpHeader);
        Assert.True(s.TrafficRestricted);
        Assert.Equal(["192.168.1.69/32", "127.0.0.1/32"], s.RateLimitExemptNetworks.Select(n => n.ToString()));
        Assert.Equal([200, 204], s.HealthCheckCodes.Order());
        Assert.Equal(TimeSpan.FromSeconds(1), s.HealthCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(750), s.HealthCheckTimeout);
        Assert.Equal(new RequestRate(50, TimeSpan.FromSeconds(1)), s.DrRate);
        Assert.Equal(new RequestRate(30, TimeSpan.FromMinutes(1)), s.UserSyncRate);
        Assert.Equal(1L << 30, s.MaxBodySize);
        Assert.Equal(TimeSpan.FromSeconds(5), s.ClientHeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(65), s.KeepaliveTimeout);
        Assert.Equal(LogEventLevel.Warning, s.LogLevel);
        Assert.Equal(SslProtocols.Tls13, s.InboundProtocols);
        Assert.Equal(LogFormat.Text, s.LogFormat);
        Assert.True(s.IsLab);
        Assert.Equal(["/drapi/v1/config"], s.BlockedPaths);
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("proxy_protocol")]
    public void Bind_RealIpHeaderWithoutLoadBalancers_Error(string header)
    {
        var bound = Bind($"NGX_LOAD_BALANCER_REAL_IP_HEADER={header}");

        Assert.Equal(
            $"{bound.Path}:7: NGX_LOAD_BALANCER_REAL_IP_HEADER: is set but NGX_LOAD_BALANCER_IPS is empty; set both (trusted load balancers and their client-address header) or neither",
            Assert.Single(bound.Errors).ToString());
    }

    [Fact]
    public void Bind_LoadBalancersWithoutRealIpHeader_Error()
    {
        var bound = Bind("NGX_LOAD_BALANCER_IPS=10.0.0.0/8\nNGX_LOAD_BALANCER_REAL_IP_HEADER=\"\"");

        Assert.Equal(
            $"{bound.Path}:7: NGX_LOAD_BALANCER_IPS: is set but NGX_LOAD_BALANCER_REAL_IP_HEADER is empty; set both (e.g. NGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For) or neither",
            Assert.Single(bound.Errors).ToString());
    }

    [Fact]
    public void Bind_LoadBalancersWithRealIpHeader_Valid()
    {
        var bound = Bind("NGX_LOAD_BALANCER_IPS=10.0.0.0/8\nNGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For\nNGX_TRAFFIC_RESTRICTED=true");

        Assert.Empty(bound.Errors);
        Assert.Equal("X-Forwarded-For", bound.Settings!.RealIpHeader);
        Assert.True(bound.Settings.TrafficRestricted);
    }

    [Fact]
    public void Bind_InvalidLoadBalancersWithHeaderAndRestriction_OnlyTheInvalidValueReported()
    {
        var bound = Bind("NGX_LOAD_BALANCER_IPS=10.0.0.1/8\nNGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For\nNGX_TRAFFIC_RESTRICTED=true");

        Assert.Equal(
            $"{bound.Path}:7: NGX_LOAD_BALANCER_IPS: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?",
            Assert.Single(bound.Errors).ToString());
    }

    [Fact]
    public void Bind_LoadBalancersOnlySeparators_TreatedAsEmpty()
    {
        var bound = Bind("NGX_LOAD_BALANCER_IPS=\" | \"\nNGX_LOAD_BALANCER_REAL_IP_HEADER=X-Real-IP");

        Assert.Equal(PropertyCatalog.RealIpHeader.Name, Assert.Single(bound.Errors).Key);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("1")]
    public void Bind_TrafficRestrictedWithoutLoadBalancers_Error(string value)
    {
        var bound = Bind("NGX_TRAFFIC_RESTRICTED=" + value);

        Assert.Equal(
            $"{bound.Path}:7: NGX_TRAFFIC_RESTRICTED: is true but NGX_LOAD_BALANCER_IPS is empty, so no peer could connect",
            Assert.Single(bound.Errors).ToString());
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    [InlineData("false")]
    [InlineData("0")]
    public void Bind_SslVerifyOff_Refused(string value)
    {
        var bound = Bind("NGX_PRXY_SSL_VERIFY=" + value);

        Assert.Null(bound.Settings);
        Assert.Equal(
            $"{bound.Path}:7: NGX_PRXY_SSL_VERIFY: EdgeProxy always verifies Cloud Connect node certificates; set it to 'on' or remove it",
            Assert.Single(bound.Errors).ToString());
    }

    [Theory]
    [InlineData("on")]
    [InlineData("\"on\"")]
    [InlineData("")]
    public void Bind_SslVerifyOnOrEmpty_Accepted(string value)
    {
        var bound = Bind("NGX_PRXY_SSL_VERIFY=" + value);

        Assert.Empty(bound.Errors);
        Assert.NotNull(bound.Settings);
    }

    [Theory]
    [InlineData("FALSE")]
    [InlineData("false")]
    [InlineData("off")]
    public void Bind_HealthCheckSslVerifyFalse_WarningOnly(string value)
    {
        var bound = Bind("NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=" + value);

        Assert.Empty(bound.Errors);
        Assert.NotNull(bound.Settings);
        var notice = Assert.Single(bound.Notices);
        Assert.True(notice.IsWarning);
        Assert.Equal("NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=FALSE is ignored: health probes always use the same verified mutual TLS as traffic", notice.Message);
    }

    [Fact]
    public void Bind_HealthCheckSslVerifyTrue_NoNotice()
    {
        var bound = Bind("NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=TRUE");

        Assert.Empty(bound.Errors);
        Assert.Empty(bound.Notices);
    }

    [Fact]
    public void Bind_UpstreamClientCertificateUnset_DefaultsToServerCertificate()
    {
        var bound = Bind("EDGEPROXY_UPSTREAM_CLIENT_CRT=\nEDGEPROXY_UPSTREAM_CLIENT_KEY=");

        Assert.Equal("/certs/proxy.crt", bound.Settings!.UpstreamClientCertificatePath);
        Assert.Equal("/certs/proxy.key", bound.Settings.UpstreamClientKeyPath);
    }

    [Fact]
    public void Bind_UpstreamClientCertificateSet_Used()
    {
        var bound = Bind("EDGEPROXY_UPSTREAM_CLIENT_CRT=/certs/client.crt\nEDGEPROXY_UPSTREAM_CLIENT_KEY=/certs/client.key");

        Assert.Equal("/certs/proxy.crt", bound.Settings!.ServerCertificatePath);
        Assert.Equal("/certs/client.crt", bound.Settings.UpstreamClientCertificatePath);
        Assert.Equal("/certs/client.key", bound.Settings.UpstreamClientKeyPath);
    }

    [Theory]
    [InlineData("/drapi/", "/drapi/", "'/drapi/' is also in EDGEPROXY_DR_PATHS; a path goes to one place only")]
    [InlineData("/drapi/", "/DRAPI/", "'/DRAPI/' is also in EDGEPROXY_DR_PATHS; a path goes to one place only")]
    [InlineData("/drapi/|/other/", "/x/|/other/", "'/other/' is also in EDGEPROXY_DR_PATHS; a path goes to one place only")]
    [InlineData("/drapi/", "/drapi/v1/users/", "'/drapi/v1/users/' overlaps '/drapi/' in EDGEPROXY_DR_PATHS; a path goes to one place only")]
    [InlineData("/api/dr/", "/api/", "'/api/' overlaps '/api/dr/' in EDGEPROXY_DR_PATHS; a path goes to one place only")]
    public void Bind_DrAndDataConnPathsOverlap_Error(string dr, string dataConn, string message)
    {
        var bound = Bind($"EDGEPROXY_DR_PATHS={dr}\nEDGEPROXY_DATACONN_PATHS={dataConn}");

        Assert.Null(bound.Settings);
        var error = Assert.Single(bound.Errors);
        Assert.Equal(PropertyCatalog.DataConnPaths.Name, error.Key);
        Assert.Equal(new EnvOrigin(bound.Path, 8), error.Origin);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("/drapi/", "/dataconn/")]
    [InlineData("/drapi/|/drapi2/", "/dataconn/")]
    [InlineData("/dr/", "/drx/")]
    public void Bind_DrAndDataConnPathsDisjoint_Valid(string dr, string dataConn)
    {
        var bound = Bind($"EDGEPROXY_DR_PATHS={dr}\nEDGEPROXY_DATACONN_PATHS={dataConn}");

        Assert.Empty(bound.Errors);
    }

    [Fact]
    public void Bind_PublisherSameAsSubscriber_WarningNoFailover()
    {
        var bound = Bind("NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=publisher.example.com:8445");

        Assert.Empty(bound.Errors);
        Assert.Equal(
            [
                $"warning: {bound.Path}:7: NGX_CLOUDCONNECT_FAILOVER_HOSTNAME is also set at line 3; the later value wins",
                "warning: NGX_CLOUDCONNECT_HOSTNAME and NGX_CLOUDCONNECT_FAILOVER_HOSTNAME are the same node (publisher.example.com:8445); there is no failover",
            ],
            bound.Notices.Select(n => n.ToString()));
    }

    [Fact]
    public void Bind_EnvironmentOverridesFile_ValueFromEnvironment()
    {
        var bound = Bind("NGX_ERR_LOG_LEVEL=debug", new Dictionary<string, string> { [PropertyCatalog.LogLevel.Name] = "error", [PropertyCatalog.Environment.Name] = "lab" });

        Assert.Equal(LogEventLevel.Error, bound.Settings!.LogLevel);
        Assert.True(bound.Settings.IsLab);
    }
}
