using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Admission;

/// <summary>
/// Peers a loopback socket cannot produce (IPv4-mapped IPv6, global IPv6), injected through WebApplicationFactory
/// running EdgeProxy's real entry point; the upstream is still the simulator over real mutual TLS.
/// </summary>
public sealed class AdmissionInjectedPeerTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;
    private EdgeProxyFactory _factory = null!;

    public async Task InitializeAsync()
    {
        // The harness provides the simulators and a complete env file; the proxy under test is the factory's.
        _lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
        [
            "NGX_CLOUDCONNECT_CLIENT_IPS=203.0.113.7|2001:db8:1::/48|198.51.100.0/24",
            "NGX_LOAD_BALANCER_IPS=192.0.2.10|2001:db8:ffff::10",
            "NGX_LOAD_BALANCER_REAL_IP_HEADER=X-Real-IP",
            "NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=200",
        ]));
        _factory = new EdgeProxyFactory(_lab.EnvFile);
        // Wait until the factory's proxy has found the active node, so a test starts from the steady state.
        Assert.True(await Eventually.TrueAsync(async () => (await _factory.SendFromAsync("203.0.113.7", "/drapi/v1/ping")).Response.StatusCode == 200,
            TimeSpan.FromSeconds(15)));
        _lab.Publisher.ClearRecords();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _lab.DisposeAsync();
    }

    [Theory]
    [InlineData("203.0.113.7", 200, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", 200, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.8", 403, null)]
    [InlineData("2001:db8:1::42", 200, "2001:db8:1::42")]
    [InlineData("2001:db8:1:ffff:ffff:ffff:ffff:ffff", 200, "2001:db8:1:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:2::1", 403, null)]
    [InlineData("198.51.100.255", 200, "198.51.100.255")]
    [InlineData("198.51.101.0", 403, null)]
    public async Task InjectedPeer_WithoutBalancer_IsJudgedByItsNormalisedAddress(string peer, int expected, string? nodeSees)
    {
        var context = await _factory.SendFromAsync(peer, "/drapi/v1/ping", ("X-Real-IP", "203.0.113.7"), ("X-Forwarded-For", "203.0.113.7"));

        Assert.Equal(expected, context.Response.StatusCode);
        AssertNodeSaw(nodeSees);
    }

    [Theory]
    [InlineData("192.0.2.10", "203.0.113.7", 200, "203.0.113.7")]
    [InlineData("::ffff:192.0.2.10", "203.0.113.7", 200, "203.0.113.7")]
    [InlineData("2001:db8:ffff::10", "2001:db8:1::9", 200, "2001:db8:1::9")]
    [InlineData("192.0.2.10", "::ffff:203.0.113.7", 200, "203.0.113.7")]
    [InlineData("192.0.2.10", "[2001:db8:1::9]:443", 200, "2001:db8:1::9")]
    [InlineData("192.0.2.10", "203.0.113.9", 403, null)]
    [InlineData("192.0.2.10", "203.0.113.7, 203.0.113.8", 400, null)]
    [InlineData("192.0.2.10", "", 400, null)]
    [InlineData("192.0.2.10", "203.0.113.07", 400, null)]
    [InlineData("192.0.2.10", "0313.0.113.7:443", 400, null)]
    [InlineData("192.0.2.10", "198.51.100.1%eth0", 400, null)]
    [InlineData("192.0.2.11", "203.0.113.7", 403, null)]
    public async Task BalancerPeer_WithRealIpHeader_TakesItsSingleValue(string peer, string header, int expected, string? nodeSees)
    {
        var context = await _factory.SendFromAsync(peer, "/drapi/v1/ping", ("X-Real-IP", header));

        Assert.Equal(expected, context.Response.StatusCode);
        AssertNodeSaw(nodeSees);
    }

    private void AssertNodeSaw(string? client)
    {
        if (client is null)
        {
            Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
            return;
        }

        var request = Assert.Single(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Equal(client, request.Headers["X-Real-IP"]);
        Assert.Equal(client, request.Headers["X-Client-IP"]);
        Assert.StartsWith(client + ", ", request.Headers["X-Forwarded-For"], StringComparison.Ordinal);
    }
}
