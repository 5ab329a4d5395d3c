using System.Net;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Admission;

/// <summary>
/// Admission with real client sockets from several loopback source addresses, real TLS, and the
/// simulator as upstream: for each case the status, whether the node saw the request, and the
/// client address the node was told.
/// </summary>
public sealed class AdmissionSocketTests : IAsyncLifetime
{
    private const string Allowed = "127.0.0.2";
    private const string Denied = "127.0.0.3";
    private const string Balancer = "127.0.0.20";
    private const string InnerBalancer = "127.0.0.21";

    // What IPAddress.TryParse makes of 203.0.113.010 and 0313.0.113.7: allowed, so a misreading would be admitted.
    private const string LenientReadings = "203.0.113.8|203.0.113.7";

    private ProxyHarness _lab = null!;

    public static TheoryData<string, string, string[], HttpStatusCode, string?> Cases => new()
    {
        // name, source, headers ("Name: value"), status, client address the node must see (null: node sees nothing)
        { "allowed peer", Allowed, [], HttpStatusCode.OK, Allowed },
        { "disallowed peer", Denied, [], HttpStatusCode.Forbidden, null },
        { "disallowed peer claims allowed in X-Forwarded-For", Denied, [$"X-Forwarded-For: {Allowed}"], HttpStatusCode.Forbidden, null },
        { "disallowed peer claims allowed in X-Real-IP", Denied, [$"X-Real-IP: {Allowed}"], HttpStatusCode.Forbidden, null },
        { "disallowed peer claims allowed in X-Client-IP", Denied, [$"X-Client-IP: {Allowed}"], HttpStatusCode.Forbidden, null },
        { "disallowed peer claims allowed in Forwarded", Denied, [$"Forwarded: for={Allowed}"], HttpStatusCode.Forbidden, null },
        { "allowed peer with spoofed forwarding headers", Allowed, ["X-Forwarded-For: 203.0.113.99", "X-Real-IP: 203.0.113.99", "Forwarded: for=203.0.113.99"], HttpStatusCode.OK, Allowed },
        { "CIDR first address", "127.0.0.64", [], HttpStatusCode.OK, "127.0.0.64" },
        { "CIDR last address", "127.0.0.67", [], HttpStatusCode.OK, "127.0.0.67" },
        { "just below CIDR", "127.0.0.63", [], HttpStatusCode.Forbidden, null },
        { "just above CIDR", "127.0.0.68", [], HttpStatusCode.Forbidden, null },
        { "balancer forwards allowed client", Balancer, [$"X-Forwarded-For: {Allowed}"], HttpStatusCode.OK, Allowed },
        { "balancer forwards disallowed client", Balancer, [$"X-Forwarded-For: {Denied}"], HttpStatusCode.Forbidden, null },
        { "balancer forwards client with port", Balancer, [$"X-Forwarded-For: {Allowed}:50312"], HttpStatusCode.OK, Allowed },
        { "chain of two trusted balancers", Balancer, [$"X-Forwarded-For: {Allowed}, {InnerBalancer}"], HttpStatusCode.OK, Allowed },
        { "client spoofs leftmost behind balancers", Balancer, [$"X-Forwarded-For: {Allowed}, {Denied}, {InnerBalancer}"], HttpStatusCode.Forbidden, null },
        { "several X-Forwarded-For lines, allowed last", Balancer, [$"X-Forwarded-For: {Denied}", $"X-Forwarded-For: {Allowed}"], HttpStatusCode.OK, Allowed },
        { "several X-Forwarded-For lines, denied last", Balancer, [$"X-Forwarded-For: {Allowed}", $"X-Forwarded-For: {Denied}"], HttpStatusCode.Forbidden, null },
        { "balancer sends no header", Balancer, [], HttpStatusCode.BadRequest, null },
        { "balancer sends garbage", Balancer, ["X-Forwarded-For: not-an-address"], HttpStatusCode.BadRequest, null },
        { "balancer sends zone id", Balancer, ["X-Forwarded-For: fe80::1%eth0"], HttpStatusCode.BadRequest, null },
        { "balancer sends bracketed IPv4", Balancer, [$"X-Forwarded-For: [{Allowed}]"], HttpStatusCode.BadRequest, null },
        { "balancer sends shorthand IPv4", Balancer, ["X-Forwarded-For: 127.2"], HttpStatusCode.BadRequest, null },
        // IPAddress.TryParse reads a leading zero as octal: each of these would be an allow-listed address.
        { "balancer sends leading-zero last octet", Balancer, ["X-Forwarded-For: 203.0.113.010"], HttpStatusCode.BadRequest, null },
        { "balancer sends leading-zero first octet", Balancer, ["X-Forwarded-For: 0313.0.113.7"], HttpStatusCode.BadRequest, null },
        { "balancer sends leading-zero octet with port", Balancer, ["X-Forwarded-For: 127.0.0.02:50312"], HttpStatusCode.BadRequest, null },
        { "balancer sends mapped address with leading zero", Balancer, ["X-Forwarded-For: [::ffff:127.0.0.02]:443"], HttpStatusCode.BadRequest, null },
        { "balancer sends hex octet", Balancer, ["X-Forwarded-For: 0x7f.0.0.2"], HttpStatusCode.BadRequest, null },
        { "balancer sends IPv4 zone id", Balancer, [$"X-Forwarded-For: {Allowed}%eth0"], HttpStatusCode.BadRequest, null },
        { "balancer sends empty entry", Balancer, [$"X-Forwarded-For: {Allowed}, , {InnerBalancer}"], HttpStatusCode.BadRequest, null },
        { "balancer sends 8 KB header", Balancer, ["X-Forwarded-For: " + string.Join(", ", Enumerable.Repeat("203.0.113.250", 600))], HttpStatusCode.Forbidden, null },
        { "balancer sends 8 KB garbage", Balancer, ["X-Forwarded-For: " + new string('9', 8192)], HttpStatusCode.BadRequest, null },
        { "disallowed peer with 8 KB X-Forwarded-For", Denied, ["X-Forwarded-For: " + string.Join(", ", Enumerable.Repeat(Allowed, 800))], HttpStatusCode.Forbidden, null },
    };

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
    [
        $"NGX_CLOUDCONNECT_CLIENT_IPS={Allowed}|127.0.0.64/30|2001:db8::/32|::1|{LenientReadings}",
        $"NGX_LOAD_BALANCER_IPS={Balancer}|{InnerBalancer}",
        "NGX_LOAD_BALANCER_REAL_IP_HEADER=X-Forwarded-For",
    ]));

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_FromSource_IsAdmittedOnlyForAllowedClient(string name, string source, string[] headers, HttpStatusCode expected, string? nodeSeesClient)
    {
        var path = "/drapi/v1/ping?case=" + Uri.EscapeDataString(name);

        var status = await RawHttps.SendAsync(_lab.PublicUri, source, path, headers.Select(h => (h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 2)..])));

        Assert.Equal((int)expected, status);
        var seen = ProxyHarness.Proxied(_lab.Publisher).Where(r => r.QueryString.Contains(Uri.EscapeDataString(name), StringComparison.Ordinal)).ToList();
        if (nodeSeesClient is null)
        {
            Assert.Empty(seen);
            // Each case runs against its own proxy (xunit makes a class instance per case), so exactly one refusal is logged.
            var refusal = Assert.Single(_lab.Logs.WithEventId(3001));
            Assert.Equal(source, InMemorySink.Property(refusal, "Peer"));
            Assert.Equal("/drapi/v1/ping", InMemorySink.Property(refusal, "Path"));
            var reason = InMemorySink.Property(refusal, "Reason");
            if (expected == HttpStatusCode.BadRequest)
            {
                Assert.Contains(reason, new[] { "InvalidClientHeader", "MissingClientHeader" });
            }
            else
            {
                Assert.Equal("ClientNotAllowed", reason);
            }
        }
        else
        {
            var request = Assert.Single(seen);
            Assert.Equal(nodeSeesClient, request.Headers["X-Real-IP"]);
            Assert.Equal(nodeSeesClient, request.Headers["X-Client-IP"]);
            Assert.Equal($"{nodeSeesClient}, 127.0.0.1", request.Headers["X-Forwarded-For"]);
            Assert.False(request.Headers.ContainsKey("Forwarded"));
        }
    }

    [Fact]
    public async Task Request_BalancerForwardsLeadingZeroOctet_BadRequestLoggedAndNodeUntouched()
    {
        using var client = _lab.CreateClient(Balancer);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/ping");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.010");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"bad_request\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
        var refusal = Assert.Single(_lab.Logs.WithEventId(3001));
        Assert.Equal("InvalidClientHeader", InMemorySink.Property(refusal, "Reason"));
        Assert.Equal(Balancer, InMemorySink.Property(refusal, "Peer"));
        Assert.Equal("203.0.113.010", InMemorySink.Property(refusal, "Claimed"));
    }

    [Fact]
    public async Task Ipv6Peer_InAllowList_IsAdmitted()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(["PROXY_BINDING_IP=::1", "NGX_CLOUDCONNECT_CLIENT_IPS=::1"]));
        using var client = EdgeClient.Create(lab.PublicUri, "::1");

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("::1", Assert.Single(ProxyHarness.Proxied(lab.Publisher)).Headers["X-Real-IP"]);
    }

    [Fact]
    public async Task Ipv6Peer_NotInAllowList_IsRefused()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(["PROXY_BINDING_IP=::1", "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.1|2001:db8::/32"]));
        using var client = EdgeClient.Create(lab.PublicUri, "::1");

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
    }
}
