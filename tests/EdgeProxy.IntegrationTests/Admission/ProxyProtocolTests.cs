using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Testing;

namespace EdgeProxy.IntegrationTests.Admission;

/// <summary>
/// NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol with real sockets: a trusted balancer address writes a
/// PROXY header, then TLS and HTTP follow on the same socket. The header names clients outside loopback,
/// which only the header can make the proxy believe.
/// </summary>
public sealed class ProxyProtocolTests : IAsyncLifetime
{
    private const string Balancer = "127.0.0.20";
    private const string DirectClient = "127.0.0.2";
    private static readonly IPEndPoint Frontend = IPEndPoint.Parse("192.0.2.1:443");

    private ProxyHarness _lab = null!;

    public static TheoryData<int, string> AllowedClients => new()
    {
        { 1, "203.0.113.7:50312" },
        { 2, "203.0.113.7:50312" },
        { 1, "[2001:db8::7]:50312" },
        { 2, "[2001:db8::7]:50312" },
    };

    public async Task InitializeAsync() => _lab = await Start();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Theory]
    [MemberData(nameof(AllowedClients))]
    public async Task Header_FromBalancer_NamingAllowedClient_IsAdmitted_NodeSeesThatClient(int version, string client)
    {
        var named = IPEndPoint.Parse(client);
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Balancer, preamble: Header(version, named));

        // A forwarding header from a proxy_protocol balancer is not believed: the PROXY header is the only source.
        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping", [("X-Forwarded-For", "203.0.113.9")], close: true);

        Assert.Equal(200, status);
        var request = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Equal(named.Address.ToString(), request.Headers["X-Real-IP"]);
        Assert.Equal($"{named.Address}, 127.0.0.1", request.Headers["X-Forwarded-For"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Header_FromBalancer_NamingDisallowedClient_Is403_BlockingLogNamesPeerAndClient(int version)
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Balancer, preamble: Header(version, IPEndPoint.Parse("203.0.113.9:4000")));

        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping", [], close: true);

        Assert.Equal(403, status);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
        var refusal = Assert.Single(_lab.Logs.WithEventId(3001));
        Assert.Equal(Balancer, InMemorySink.Property(refusal, "Peer"));
        Assert.Equal("203.0.113.9", InMemorySink.Property(refusal, "Client"));
        Assert.Equal("ClientNotAllowed", InMemorySink.Property(refusal, "Reason"));
    }

    [Fact]
    public async Task V2Local_FromBalancer_ThePeerIsTheClient()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Balancer, preamble: ProxyHeaders.V2Raw(0x20, 0x00, []));

        var status = await RawHttps.SendOnAsync(tls, "/drapi/v1/ping", [], close: true);

        Assert.Equal(403, status);
        Assert.Equal(Balancer, InMemorySink.Property(Assert.Single(_lab.Logs.WithEventId(3001)), "Client"));
    }

    [Fact]
    public async Task Header_FromPeerNotABalancer_ClosesTheConnection_Logged_NodeSeesNothing()
    {
        var header = ProxyHeaders.V1(IPEndPoint.Parse("203.0.113.7:1"), Frontend);

        await AssertClosedAsync(() => RawHttps.ConnectAsync(_lab.PublicUri, DirectClient, preamble: header));

        var line = Assert.Single(await _lab.Logs.WaitForEventIdAsync(3002, 1));
        Assert.Equal(DirectClient, InMemorySink.Property(line, "Peer"));
        Assert.Contains("not in NGX_LOAD_BALANCER_IPS", InMemorySink.Property(line, "Reason"), StringComparison.Ordinal);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
        // The same peer without a header is an ordinary direct client.
        Assert.Equal(200, await RawHttps.SendAsync(_lab.PublicUri, DirectClient, "/drapi/v1/ping", []));
    }

    [Fact]
    public async Task Balancer_WithoutHeader_ClosesTheConnection_Logged()
    {
        await AssertClosedAsync(() => RawHttps.ConnectAsync(_lab.PublicUri, Balancer));

        var line = Assert.Single(await _lab.Logs.WaitForEventIdAsync(3002, 1));
        Assert.Equal(Balancer, InMemorySink.Property(line, "Peer"));
        Assert.Contains("no PROXY header", InMemorySink.Property(line, "Reason"), StringComparison.Ordinal);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.07 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 65536\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443\n", "LF without CR")]
    public async Task MalformedHeader_FromBalancer_ClosesTheConnection_Logged(string line, string reason)
    {
        await AssertClosedAsync(() => RawHttps.ConnectAsync(_lab.PublicUri, Balancer, preamble: ProxyHeaders.V1(line)));

        Assert.Contains(reason, InMemorySink.Property(Assert.Single(await _lab.Logs.WaitForEventIdAsync(3002, 1)), "Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowHeader_PastTheHeaderTimeout_ClosesTheConnection()
    {
        await using var lab = await Start("NGX_CLIENT_HEADER_TIMEOUT=1");
        var header = ProxyHeaders.V1(IPEndPoint.Parse("203.0.113.7:50312"), Frontend);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(Balancer), 0));
        await socket.ConnectAsync(lab.PublicUri.Host, lab.PublicUri.Port);
        var clock = Stopwatch.StartNew();
        var closed = socket.ReceiveAsync(new byte[1].AsMemory()).AsTask();

        // One byte every 200 ms: the whole header would take about 9 s.
        var sent = 0;
        try
        {
            while (sent < header.Length && !closed.IsCompleted)
            {
                await socket.SendAsync(header.AsMemory(sent++, 1));
                await Task.WhenAny(closed, Task.Delay(200));
            }
        }
        catch (SocketException)
        {
            // The proxy reset the connection under a write.
        }

        Assert.True(sent < header.Length, $"the whole header was sent in {clock.Elapsed}");
        await Record.ExceptionAsync(() => closed.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(closed.IsCompleted, "the proxy did not close the connection");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
        var line = Assert.Single(await lab.Logs.WaitForEventIdAsync(3002, 1));
        Assert.Contains("incomplete PROXY header", InMemorySink.Property(line, "Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionLimit_CountsTheClientsTheHeadersName_NotTheBalancer()
    {
        await using var lab = await Start("NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT=2");
        var first = IPEndPoint.Parse("203.0.113.7:1000");
        var second = IPEndPoint.Parse("203.0.113.8:1000");
        var open = new List<SslStream>();
        try
        {
            foreach (var client in new[] { first, first, second, second })
            {
                var connection = await RawHttps.ConnectAsync(lab.PublicUri, Balancer, preamble: Header(2, client));
                open.Add(connection);
                Assert.Equal(200, await RawHttps.SendOnAsync(connection, "/drapi/v1/ping", [], close: false));
            }

            // Each named client has used its budget of two; the balancer itself is not limited.
            await AssertClosedAsync(() => RawHttps.ConnectAsync(lab.PublicUri, Balancer, preamble: Header(1, first)));
            var refusal = Assert.Single(lab.Logs.WithEventId(3102));
            Assert.Equal("203.0.113.7", InMemorySink.Property(refusal, "Client"));
            Assert.Equal(Balancer, InMemorySink.Property(refusal, "Peer"));
            await using var third = await RawHttps.ConnectAsync(lab.PublicUri, Balancer, preamble: Header(1, IPEndPoint.Parse("203.0.113.9:1")));
            Assert.Equal(403, await RawHttps.SendOnAsync(third, "/drapi/v1/ping", [], close: true));
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Reload_FromAHeaderToProxyProtocol_AppliesToNewConnections()
    {
        string[] common = [$"NGX_CLOUDCONNECT_CLIENT_IPS=203.0.113.7|203.0.113.8", $"NGX_LOAD_BALANCER_IPS={Balancer}"];
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange([.. common, "NGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For"]));
        await using var before = await RawHttps.ConnectAsync(lab.PublicUri, Balancer);
        Assert.Equal(200, await RawHttps.SendOnAsync(before, "/drapi/v1/ping", [("X-Forwarded-For", "203.0.113.7")], close: false));

        var applied = lab.NextReloadAsync(o => o.Status == EdgeProxy.Configuration.ReloadStatus.Applied);
        await lab.RewriteEnvAsync([.. common, "NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol"]);
        await applied;
        await using var after = await RawHttps.ConnectAsync(lab.PublicUri, Balancer, preamble: Header(2, IPEndPoint.Parse("203.0.113.8:1")));

        Assert.Equal(200, await RawHttps.SendOnAsync(after, "/drapi/v1/ping?after", [], close: false));
        Assert.Equal("203.0.113.8", ProxyHarness.Proxied(lab.Publisher).Single(r => r.QueryString.Contains("after", StringComparison.Ordinal)).Headers["X-Real-IP"]);
        // The connection opened before has no PROXY header, and its X-Forwarded-For is no longer believed.
        Assert.Equal(400, await RawHttps.SendOnAsync(before, "/drapi/v1/ping", [("X-Forwarded-For", "203.0.113.7")], close: false));
    }

    private static Task<ProxyHarness> Start(params string[] extra) => ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
    [
        $"NGX_CLOUDCONNECT_CLIENT_IPS={DirectClient}|203.0.113.7|203.0.113.8|2001:db8::7",
        $"NGX_LOAD_BALANCER_IPS={Balancer}",
        "NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol",
        .. extra,
    ]));

    private static byte[] Header(int version, IPEndPoint client)
    {
        var frontend = client.AddressFamily == AddressFamily.InterNetwork ? Frontend : IPEndPoint.Parse("[2001:db8::1]:443");
        return version == 1 ? ProxyHeaders.V1(client, frontend) : ProxyHeaders.V2(client, frontend);
    }

    // Closed before or during the TLS handshake: seen as EOF or as a reset, depending on timing.
    private static async Task AssertClosedAsync(Func<Task<SslStream>> connect)
    {
        var exception = await Record.ExceptionAsync(async () => await (await connect()).DisposeAsync());
        Assert.True(exception is IOException or SocketException or System.Security.Authentication.AuthenticationException,
            $"expected the connection to be closed, got {exception?.GetType().Name ?? "no exception"}");
    }
}
