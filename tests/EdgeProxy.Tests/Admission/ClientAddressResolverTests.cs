using System.Net;
using CsCheck;
using EdgeProxy.Admission;
using Microsoft.Extensions.Primitives;

namespace EdgeProxy.Tests.Admission;

public sealed class ClientAddressResolverTests
{
    private static readonly string[] AllowList = ["203.0.113.7/32", "198.51.100.0/24", "2001:db8:1::/48"];
    private static readonly string[] Balancers = ["192.0.2.10/32", "192.0.2.11/32", "2001:db8:ffff::10/128"];
    private static readonly AdmissionPolicy Xff = Policy("X-Forwarded-For");

    private static AdmissionPolicy Policy(string? header, bool restricted = false) => new(
        AllowList.Select(IPNetwork.Parse),
        header is null ? [] : Balancers.Select(IPNetwork.Parse),
        header,
        restricted);

    [Theory]
    // Peer not a balancer: the peer is the client, headers ignored.
    [InlineData("203.0.113.7", null, "203.0.113.7", RefusalReason.None)]
    [InlineData("203.0.113.8", "203.0.113.7", "203.0.113.8", RefusalReason.ClientNotAllowed)]
    [InlineData("::ffff:203.0.113.7", null, "203.0.113.7", RefusalReason.None)]
    // Balancer: right-to-left walk over trusted hops.
    [InlineData("192.0.2.10", "203.0.113.7", "203.0.113.7", RefusalReason.None)]
    [InlineData("192.0.2.10", "203.0.113.9", "203.0.113.9", RefusalReason.ClientNotAllowed)]
    [InlineData("192.0.2.10", "203.0.113.7, 192.0.2.11", "203.0.113.7", RefusalReason.None)]
    [InlineData("192.0.2.10", "203.0.113.7,192.0.2.11,192.0.2.10", "203.0.113.7", RefusalReason.None)]
    [InlineData("192.0.2.10", "203.0.113.7, 203.0.113.9, 192.0.2.11", "203.0.113.9", RefusalReason.ClientNotAllowed)]
    [InlineData("192.0.2.10", "garbage, 203.0.113.7", "203.0.113.7", RefusalReason.None)]
    [InlineData("192.0.2.10", "192.0.2.11", "192.0.2.11", RefusalReason.ClientNotAllowed)]
    [InlineData("192.0.2.10", "203.0.113.7, garbage", null, RefusalReason.InvalidClientHeader)]
    [InlineData("192.0.2.10", "203.0.113.7,", null, RefusalReason.InvalidClientHeader)]
    [InlineData("192.0.2.10", "", null, RefusalReason.MissingClientHeader)]
    [InlineData("192.0.2.10", null, null, RefusalReason.MissingClientHeader)]
    [InlineData("::ffff:192.0.2.10", "198.51.100.4", "198.51.100.4", RefusalReason.None)]
    [InlineData("2001:db8:ffff::10", "[2001:db8:1::5]:9000", "2001:db8:1::5", RefusalReason.None)]
    public void Decide_XForwardedFor_FindsClientAndJudgesIt(string peer, string? header, string? client, RefusalReason refusal)
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse(peer), header is null ? StringValues.Empty : new StringValues(header), Xff);

        Assert.Equal(refusal, decision.Refusal);
        Assert.Equal(client, decision.Client?.ToString());
    }

    [Fact]
    public void Decide_SeveralXForwardedForLines_WalksThemAsOneListInOrder()
    {
        var lines = new StringValues(["203.0.113.9", "203.0.113.7, 192.0.2.11"]);

        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), lines, Xff);

        Assert.Equal("203.0.113.7", decision.Client?.ToString());
        Assert.True(decision.Admitted);
    }

    [Fact]
    public void Decide_SeveralXForwardedForLines_UntrustedLastLineWins()
    {
        var lines = new StringValues(["203.0.113.7", "203.0.113.9"]);

        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), lines, Xff);

        Assert.Equal(RefusalReason.ClientNotAllowed, decision.Refusal);
        Assert.Equal("203.0.113.9", decision.Client?.ToString());
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", RefusalReason.None)]
    [InlineData("203.0.113.7:443", "203.0.113.7", RefusalReason.None)]
    [InlineData("203.0.113.7, 203.0.113.8", null, RefusalReason.InvalidClientHeader)]
    [InlineData("not-an-ip", null, RefusalReason.InvalidClientHeader)]
    public void Decide_OtherHeader_TakesItsSingleValue(string header, string? client, RefusalReason refusal)
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), new StringValues(header), Policy("X-Real-IP"));

        Assert.Equal(refusal, decision.Refusal);
        Assert.Equal(client, decision.Client?.ToString());
    }

    [Fact]
    public void Decide_OtherHeaderSentTwice_IsInvalid()
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), new StringValues(["203.0.113.7", "203.0.113.7"]), Policy("X-Real-IP"));

        Assert.Equal(RefusalReason.InvalidClientHeader, decision.Refusal);
    }

    [Theory]
    [InlineData("192.0.2.10", RefusalReason.None)]
    [InlineData("203.0.113.7", RefusalReason.PeerNotLoadBalancer)]
    public void Decide_TrafficRestricted_AdmitsOnlyBalancerPeers(string peer, RefusalReason refusal)
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse(peer), new StringValues("203.0.113.7"), Policy("X-Forwarded-For", restricted: true));

        Assert.Equal(refusal, decision.Refusal);
    }

    [Fact]
    public void Decide_NoBalancerConfigured_IgnoresEveryHeaderValue()
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), new StringValues("203.0.113.7"), Policy(null));

        Assert.Equal(RefusalReason.ClientNotAllowed, decision.Refusal);
        Assert.Equal("192.0.2.10", decision.Client?.ToString());
    }

    [Theory]
    // name, peer, PROXY client (null: none), X-Forwarded-For sent, client, refusal
    [InlineData("balancer names allowed client", "192.0.2.10", "203.0.113.7:50312", null, "203.0.113.7", RefusalReason.None)]
    [InlineData("balancer names disallowed client", "192.0.2.10", "203.0.113.9:50312", null, "203.0.113.9", RefusalReason.ClientNotAllowed)]
    [InlineData("forwarding header not believed", "192.0.2.10", "203.0.113.9:50312", "203.0.113.7", "203.0.113.9", RefusalReason.ClientNotAllowed)]
    [InlineData("mapped PROXY client", "192.0.2.10", "[::ffff:198.51.100.4]:1", null, "198.51.100.4", RefusalReason.None)]
    [InlineData("connection predates proxy_protocol", "192.0.2.10", null, "203.0.113.7", null, RefusalReason.MissingClientHeader)]
    [InlineData("peer no longer a balancer", "203.0.113.9", "203.0.113.7:50312", null, "203.0.113.9", RefusalReason.ClientNotAllowed)]
    public void Decide_ProxyProtocol_ThePROXYHeaderIsTheOnlySource(string name, string peer, string? proxied, string? header, string? client, RefusalReason refusal)
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse(peer), header is null ? StringValues.Empty : new StringValues(header),
            Policy("proxy_protocol"), proxied is null ? null : IPEndPoint.Parse(proxied));

        Assert.True(refusal == decision.Refusal, name);
        Assert.Equal(client, decision.Client?.ToString());
    }

    [Fact]
    public void Decide_ProxiedClientOnAHeaderPolicy_StillTheClient_ForConnectionsOpenedBeforeAReload()
    {
        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), new StringValues("203.0.113.9"), Xff, IPEndPoint.Parse("203.0.113.7:9"));

        Assert.True(decision.Admitted);
        Assert.Equal("203.0.113.7", decision.Client?.ToString());
        Assert.Equal("203.0.113.7:9", decision.Claimed);
    }

    [Theory]
    [InlineData("proxy_protocol", true)]
    [InlineData("PROXY_PROTOCOL", true)]
    [InlineData("X-Forwarded-For", false)]
    [InlineData("proxy-protocol", false)]
    public void Policy_ProxyProtocolValue_IsNginxSpelling(string header, bool proxyProtocol) =>
        Assert.Equal(proxyProtocol, Policy(header).ProxyProtocol);

    [Fact]
    public void Decide_LongClaimedValue_IsTruncatedForTheLog()
    {
        var header = string.Join(", ", Enumerable.Repeat("203.0.113.9", 700));

        var decision = ClientAddressResolver.Decide(IPAddress.Parse("192.0.2.10"), new StringValues(header), Xff);

        Assert.Equal(RefusalReason.ClientNotAllowed, decision.Refusal);
        Assert.True(decision.Claimed!.Length <= 260);
    }

    [Fact]
    public void Decide_RandomPeersAndHeaders_NeverThrowsAndNeverAdmitsOutsideTheList()
    {
        // Entries mix listed, unlisted and balancer addresses with malformed ones; whatever the walk
        // does, an admitted client must be in the allow-list by a plain linear check.
        var allowList = AllowList.Select(IPNetwork.Parse).ToArray();
        var entry = Gen.OneOf(
            "203.0.113.7", "203.0.113.8", "198.51.100.9", "198.51.101.1", "192.0.2.10", "192.0.2.11", "::ffff:192.0.2.10",
            "2001:db8:1::1", "2001:db8:2::1", "[2001:db8:1::1]:80", "203.0.113.7:80", "", " ", "garbage", "fe80::1%1",
            "127.1", "[203.0.113.7]", "unknown", "0x7f.0.0.1");
        var header = from list in entry.List[0, 6] from separator in Gen.OneOf(",", ", ") select string.Join(separator, list);
        var lines = header.List[0, 3];
        var peer = Gen.OneOf("192.0.2.10", "192.0.2.11", "203.0.113.7", "203.0.113.9", "::ffff:192.0.2.10", "2001:db8:ffff::10");

        (from p in peer from l in lines from r in Gen.Bool select (p, l, r)).Sample(sample =>
        {
            var (peerText, headerLines, restricted) = sample;
            var policy = Policy("X-Forwarded-For", restricted);
            var decision = ClientAddressResolver.Decide(IPAddress.Parse(peerText), new StringValues([.. headerLines]), policy);
            return !decision.Admitted || allowList.Any(n => n.Contains(decision.Client!));
        }, iter: 20_000);
    }
}
