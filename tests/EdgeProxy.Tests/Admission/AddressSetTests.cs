using System.Net;
using CsCheck;
using EdgeProxy.Admission;

namespace EdgeProxy.Tests.Admission;

public sealed class AddressSetTests
{
    private static AddressSet Set(params string[] networks) =>
        new(networks.Select(n => n.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(n) : new IPNetwork(IPAddress.Parse(n), n.Contains(':', StringComparison.Ordinal) ? 128 : 32)));

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("10.1.0.0/16", "10.1.0.0", true)]
    [InlineData("10.1.0.0/16", "10.1.255.255", true)]
    [InlineData("10.1.0.0/16", "10.0.255.255", false)]
    [InlineData("10.1.0.0/16", "10.2.0.0", false)]
    [InlineData("0.0.0.0/0", "198.51.100.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("::/0", "::1", true)]
    [InlineData("::/0", "127.0.0.1", false)]
    [InlineData("::ffff:203.0.113.0/120", "203.0.113.200", true)]
    [InlineData("fe80::1", "fe80::1%2", true)]
    public void Contains_AddressAgainstNetwork_MatchesCidrSemantics(string network, string address, bool expected)
    {
        var set = Set(network);

        Assert.Equal(expected, set.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_EmptySet_IsFalse()
    {
        Assert.False(AddressSet.Empty.Contains(IPAddress.Loopback));
        Assert.True(AddressSet.Empty.IsEmpty);
    }

    [Fact]
    public void Contains_TenThousandEntries_FindsEveryEntryAndNothingElse()
    {
        var addresses = Enumerable.Range(0, 10_000).Select(i => new IPAddress([10, (byte)(i >> 8), (byte)i, 1])).ToList();
        var set = new AddressSet(addresses.Select(a => new IPNetwork(a, 32)));

        Assert.Equal(10_000, set.Count);
        Assert.All(addresses, a => Assert.True(set.Contains(a)));
        Assert.False(set.Contains(IPAddress.Parse("10.0.0.2")));
        Assert.False(set.Contains(IPAddress.Parse("10.39.16.1")));
    }

    [Fact]
    public void Contains_RandomNetworksAndAddresses_AgreesWithLinearIPNetworkScan()
    {
        // Model-based: the hashed lookup must answer exactly what IPNetwork.Contains over the list answers.
        var network = from v6 in Gen.Bool
                      from bytes in Gen.Byte.Array[v6 ? 16 : 4]
                      from prefix in Gen.Int[0, v6 ? 128 : 32]
                      select IPNetwork.Parse($"{new IPAddress(bytes)}/{prefix}");
        var address = from v6 in Gen.Bool
                      from bytes in Gen.Byte.Array[v6 ? 16 : 4]
                      select new IPAddress(bytes);

        (from networks in network.List[0, 20] from probes in address.List[1, 20] select (networks, probes)).Sample(sample =>
        {
            var (networks, probes) = sample;
            var set = new AddressSet(networks);
            return probes.All(p => set.Contains(p) == networks.Any(n => n.Contains(IpAddressGrammar.Normalize(p))));
        }, iter: 2_000);
    }
}
