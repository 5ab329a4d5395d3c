using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Text;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Upstreams;

/// <summary>
/// Requests shaped like Webex Connect's (Host = the proxy's external name, as on port 443; HTTP/1.1 and HTTP/2) and
/// like a hostile client's, asserted at the node: the exact headers it received, not only the client's status.
/// </summary>
public sealed class ProductionTrafficTests : IAsyncLifetime
{
    private const string ExternalHost = EdgeClient.ExternalHost;

    // What the node sees for a Webex Connect task request: the client's own headers, and EdgeProxy's.
    private static readonly string[] ExpectedNodeHeaders =
    [
        "Host", "Content-Type", "Content-Length", "Accept", "User-Agent", "TrackingID",
        "X-Real-IP", "X-Client-IP", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
    ];

    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    public static TheoryData<string?, string> HostsAndVersions()
    {
        var data = new TheoryData<string?, string>();
        foreach (var version in new[] { "1.1", "2.0" })
        {
            // The proxy's own name (what Webex Connect sends), another case, with the default port, another name, the address.
            foreach (var host in new[] { ExternalHost, "EdgeProxy.LAB.local", ExternalHost + ":443", "other.example.com", null })
            {
                data.Add(host, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostsAndVersions))]
    public async Task TaskRequest_AnyClientHost_NodeSeesTheExternalHostAndExactlyTheExpectedHeaders(string? host, string version)
    {
        using var client = _lab.CreateClient(version: Version.Parse(version), host: host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/drapi/v1/tasks")
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{\"mediaType\":\"chat\",\"name\":\"webex\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("WebexConnect/1.0");
        request.Headers.Add("TrackingID", "webex-track-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        var seen = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Equal(ExternalHost, seen.Headers["Host"]);
        Assert.Equal(ExpectedNodeHeaders.Order(StringComparer.OrdinalIgnoreCase), seen.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("127.0.0.1", seen.Headers["X-Real-IP"]);
        Assert.Equal("127.0.0.1", seen.Headers["X-Client-IP"]);
        Assert.Equal("127.0.0.1, 127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal(_lab.PublicUri.Port.ToString(CultureInfo.InvariantCulture), seen.Headers["X-Forwarded-Port"]);
        Assert.Equal("https", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal("webex-track-1", seen.Headers["TrackingID"]);
        Assert.Equal("{\"mediaType\":\"chat\",\"name\":\"webex\"}", seen.Body);
    }

    // Every kind of header a client could use to claim an address, a scheme, a URL or a certificate, in several spellings.
    public static TheoryData<string> HostileHeaderNames() =>
    [
        "X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-PROTO", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Forwarded-Ssl", "X-Forwarded-Uri", "X-Forwarded-Scheme", "X-Forwarded-Client-Cert", "X-Forwarded-By", "X-Forwarded-Server",
        "X-Forwarded-Anything-New", "Forwarded", "Forwarded-For", "X_Forwarded_For", "x_real_ip", "Any_Underscore", "X-Real-IP",
        "X-Client-IP", "X-Client-Cert", "X-Client-Verify", "Client-IP", "True-Client-IP", "CF-Connecting-IP", "X-Originating-IP",
        "X-Cluster-Client-IP", "X-Original-URL", "X-Original-Host", "X-Rewrite-URL",
    ];

    [Theory]
    [MemberData(nameof(HostileHeaderNames))]
    public async Task HostileHeader_OverHttp1AndHttp2_NeverReachesTheNodeWithTheClientsValue(string name)
    {
        const string Forged = "203.0.113.66";
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            _lab.Publisher.ClearRecords();
            using var client = _lab.CreateClient(version: version);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/tasks?from=0") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            Assert.True(request.Headers.TryAddWithoutValidation(name, Forged));
            request.Headers.TryAddWithoutValidation("X-Harmless", "kept");

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
            var seen = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
            Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(Forged, StringComparison.Ordinal));
            Assert.DoesNotContain(seen.Headers.Keys, k => k.Contains('_', StringComparison.Ordinal));
            Assert.Equal("kept", seen.Headers["X-Harmless"]);
            Assert.Equal("127.0.0.1, 127.0.0.1", seen.Headers["X-Forwarded-For"]);
        }
    }

    [Fact]
    public async Task DuplicateAndOddlySpelledForwardingLines_OverRawHttp1_NodeSeesOnlyEdgeProxysValues()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, "127.0.0.1");

        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping",
        [
            ("X-Forwarded-For", "203.0.113.1"), ("X-Forwarded-For", "203.0.113.2"), ("x-fOrWaRdEd-fOr", "203.0.113.3"),
            ("X_FORWARDED_FOR", "203.0.113.4"), ("X-Real-IP", "203.0.113.5"), ("X-Real-IP", "203.0.113.6"),
            ("Forwarded", "for=203.0.113.7;proto=http"), ("X-Forwarded-Proto", "http"), ("X-Forwarded-Port", "80"),
        ], close: true);

        Assert.Equal(200, status);
        var seen = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains("203.0.113.", StringComparison.Ordinal));
        Assert.Equal("127.0.0.1", seen.Headers["X-Real-IP"]);
        Assert.Equal("127.0.0.1, 127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("https", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal(_lab.PublicUri.Port.ToString(CultureInfo.InvariantCulture), seen.Headers["X-Forwarded-Port"]);
        Assert.False(seen.Headers.ContainsKey("Forwarded"));
    }

    [Theory]
    [InlineData("\u0001")]
    [InlineData("\u0008")]
    [InlineData("\u000b")]
    [InlineData("\u001b[31m")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    public async Task HeaderValueWithControlCharacter_Gets400_AndTheNodeSeesNothing(string control)
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, "127.0.0.1");

        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping", [("X-Note", "a" + control + "b")], close: true);

        Assert.Equal(400, status);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Fact]
    public async Task HeaderValueWithControlCharacter_OverHttp2_Gets400_AndTheNodeSeesNothing()
    {
        using var client = _lab.CreateClient(version: HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/ping") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("X-Note", "a\u001bb");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Fact]
    public async Task HeaderValueWithTab_IsForwarded()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, "127.0.0.1");

        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping", [("X-Note", "a\tb")], close: true);

        Assert.Equal(200, status);
        Assert.Equal("a\tb", Assert.Single(ProxyHarness.Proxied(_lab.Publisher)).Headers["X-Note"]);
    }

    [Fact]
    public async Task WebSocketUpgrade_OverHttp1_IsForwardedAsAPlainRequest_AndTheConnectionIsNotATunnel()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, "127.0.0.1");
        var upgrade = "GET /drapi/v1/ping HTTP/1.1\r\nHost: " + ExternalHost + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        // What a client would type into the tunnel if it were one.
        var smuggled = "GET /drapi/v1/config/trace HTTP/1.1\r\nHost: " + ExternalHost + "\r\n\r\n";

        await tls.WriteAsync(Encoding.ASCII.GetBytes(upgrade + smuggled));
        var answer = await ReadToEndAsync(tls);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        var seen = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Equal("/drapi/v1/ping", seen.Path);
        Assert.False(seen.Headers.ContainsKey("Upgrade"));
        Assert.False(seen.Headers.ContainsKey("Connection"));
        Assert.DoesNotContain(_lab.Publisher.Requests, r => r.Path.Contains("config", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocketOverHttp2ExtendedConnect_IsRefused_AndTheNodeSeesNothing()
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = EdgeClient.TrustPolicy(RepoPaths.SampleCert("ca.crt")) },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        var uri = new Uri($"wss://127.0.0.1:{_lab.PublicUri.Port}/drapi/v1/ping");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => socket.ConnectAsync(uri, invoker, CancellationToken.None));

        Assert.IsType<WebSocketException>(failure);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
