using System.Net;
using EdgeProxy.Admission;

namespace EdgeProxy.Tests.Admission;

public sealed class IpAddressGrammarNetworkTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0", "0.0.0.0/32")]
    [InlineData("100.64.0.10", "100.64.0.10/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("203.0.113.7/32", "203.0.113.7/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("2001:DB8::1", "2001:db8::1/128")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("::/0", "::/0")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4/32")]
    [InlineData("::ffff:1.2.3.0/120", "1.2.3.0/24")]
    [InlineData("::ffff:0.0.0.0/96", "0.0.0.0/0")]
    [InlineData("::ffff:1.2.3.4/128", "1.2.3.4/32")]
    public void TryParseNetwork_Valid_GivesNormalisedNetwork(string value, string expected)
    {
        Assert.True(IpAddressGrammar.TryParseNetwork(value, out var network, out var error), error);
        Assert.Equal(IPNetwork.Parse(expected), network);
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("203.0.113.7/24", "'203.0.113.7/24' has host bits set; did you mean 203.0.113.0/24?")]
    [InlineData("10.1.2.3/8", "'10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?")]
    [InlineData("203.0.113.1/0", "'203.0.113.1/0' has host bits set; did you mean 0.0.0.0/0?")]
    [InlineData("2001:db8::1/64", "'2001:db8::1/64' has host bits set; did you mean 2001:db8::/64?")]
    [InlineData("::ffff:1.2.3.4/120", "'::ffff:1.2.3.4/120' has host bits set; did you mean 1.2.3.0/24?")]
    public void TryParseNetwork_HostBitsSet_SuggestsTheNetwork(string value, string message)
    {
        Assert.False(IpAddressGrammar.TryParseNetwork(value, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("203.0.113.0/33", "0-32")]
    [InlineData("203.0.113.0/-1", "0-32")]
    [InlineData("203.0.113.0/", "0-32")]
    [InlineData("203.0.113.0/x", "0-32")]
    [InlineData("203.0.113.0/24/24", "0-32")]
    [InlineData("2001:db8::/129", "0-128")]
    [InlineData("::ffff:1.2.3.0/129", "96-128")]
    [InlineData("203.0.113.0/024", "0-32")]
    [InlineData("203.0.113.0/+24", "0-32")]
    [InlineData("203.0.113.0/ 24", "0-32")]
    [InlineData("10.0.0.0/0x8", "0-32")]
    public void TryParseNetwork_BadPrefix_SaysRange(string value, string range)
    {
        Assert.False(IpAddressGrammar.TryParseNetwork(value, out _, out var error));
        Assert.Equal($"'{value}' has an invalid prefix length ({range})", error);
    }

    [Fact]
    public void TryParseNetwork_MappedPrefixBelow96_Rejected()
    {
        Assert.False(IpAddressGrammar.TryParseNetwork("::ffff:0.0.0.0/95", out _, out var error));
        Assert.Equal("'::ffff:0.0.0.0/95' has an invalid prefix length (96-128)", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("example.com")]
    [InlineData("10.1")]
    [InlineData("10.0.1")]
    [InlineData("167772161")]
    [InlineData("0x0a000001")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.010")]
    [InlineData("010.0.0.0/8")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.4:80")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:443")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%3")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("/24")]
    [InlineData(" 203.0.113.7")]
    [InlineData("203.0.113.7 /32")]
    [InlineData("0313.0.113.0/24")]
    [InlineData("203.0.113.010")]
    [InlineData("0x7f.0.0.0/8")]
    [InlineData("1.2.3.4%eth0")]
    public void TryParseNetwork_NotAnAddress_SaysWhatIsValid(string value)
    {
        Assert.False(IpAddressGrammar.TryParseNetwork(value, out _, out var error));
        Assert.Equal($"'{value}' is not an IP address or CIDR block (e.g. 203.0.113.7, 2001:db8::1, 203.0.113.0/24)", error);
    }
}
