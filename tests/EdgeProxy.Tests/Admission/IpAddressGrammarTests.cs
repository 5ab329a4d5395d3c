using System.Net;
using CsCheck;
using EdgeProxy.Admission;

namespace EdgeProxy.Tests.Admission;

public sealed class IpAddressGrammarTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("10.0.0.100", "10.0.0.100")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("2001:DB8::7", "2001:db8::7")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0007", "2001:db8::7")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("::1.2.3.4", "::1.2.3.4")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("::FFFF:203.0.113.7", "203.0.113.7")]
    [InlineData("0:0:0:0:0:ffff:cb00:7107", "203.0.113.7")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void TryParseAddress_Accepted_YieldsNormalisedAddress(string text, string expected)
    {
        Assert.True(IpAddressGrammar.TryParseAddress(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    // Leading zeros: IPAddress reads them as octal.
    [InlineData("203.0.113.010")]
    [InlineData("0313.0.113.7")]
    [InlineData("00.0.0.0")]
    [InlineData("1.2.3.04")]
    [InlineData("::ffff:1.2.3.04")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("1::1.2.3.04")]
    // Hex, shorthand and integer forms.
    [InlineData("0x7f.0.0.1")]
    [InlineData("0X7F.0.0.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("10.1")]
    [InlineData("10.0.1")]
    [InlineData("127.1")]
    // Out of range, wrong shape.
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.1000")]
    [InlineData("+1.2.3.4")]
    [InlineData("-1.2.3.4")]
    [InlineData("1.2.3.4.")]
    [InlineData("١.٢.٣.٤")]
    [InlineData("１.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("00000::1")]
    [InlineData("::1.2.3")]
    [InlineData("1.2.3.4::")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("2001:db8::zz")]
    // Zone ids, brackets, ports: not a bare address.
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2")]
    [InlineData("1.2.3.4%eth0")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("1.2.3.4:80")]
    // Names, garbage, white space (callers trim; the grammar does not).
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("localhost")]
    [InlineData("example.com")]
    [InlineData("unknown")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2. 3.4")]
    [InlineData("1.2.3.4/32")]
    public void TryParseAddress_Refused_YieldsNothing(string text)
    {
        Assert.False(IpAddressGrammar.TryParseAddress(text, out var address));
        Assert.Null(address);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7:50312", "203.0.113.7")]
    [InlineData("203.0.113.7:0", "203.0.113.7")]
    [InlineData("203.0.113.7:65535", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("[2001:db8::7]", "2001:db8::7")]
    [InlineData("[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("[::ffff:203.0.113.7]:1", "203.0.113.7")]
    public void TryParseForwarded_AddressAndPortForms_YieldNormalisedAddress(string text, string expected)
    {
        Assert.True(IpAddressGrammar.TryParseForwarded(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("example.com")]
    [InlineData("example.com:443")]
    [InlineData("127.1")]
    [InlineData("127.1:80")]
    [InlineData("203.0.113.010")]
    [InlineData("203.0.113.010:443")]
    [InlineData("0313.0.113.7")]
    [InlineData("[::ffff:203.0.113.07]:443")]
    [InlineData("010.0.0.1x")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4%eth0")]
    [InlineData("203.0.113.7:")]
    [InlineData("203.0.113.7:70000")]
    [InlineData("203.0.113.7:080")]
    [InlineData("203.0.113.7:+80")]
    [InlineData("203.0.113.7:port")]
    [InlineData("203.0.113.7:80:80")]
    [InlineData("[203.0.113.7]")]
    [InlineData("[203.0.113.7]:80")]
    [InlineData("[2001:db8::7")]
    [InlineData("[2001:db8::7]x")]
    [InlineData("[2001:db8::7]:")]
    [InlineData("[[2001:db8::7]]")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%2]:80")]
    [InlineData(" 203.0.113.7")]
    [InlineData("203.0.113.7, 203.0.113.8")]
    [InlineData("for=203.0.113.7")]
    public void TryParseForwarded_NotAnAddress_IsRefused(string text)
    {
        Assert.False(IpAddressGrammar.TryParseForwarded(text, out var address));
        Assert.Null(address);
    }

    [Fact]
    public void TryParseForwarded_LongestForm_AcceptedAndOverlongRefused()
    {
        Assert.True(IpAddressGrammar.TryParseForwarded("[0000:0000:0000:0000:0000:ffff:255.255.255.255]:65535", out var longest));
        Assert.Equal(IPAddress.Broadcast, longest);
        Assert.False(IpAddressGrammar.TryParseForwarded(new string('1', 8192), out _));
    }

    [Theory]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("fe80::1%3", "fe80::1")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void Normalize_SocketPeer_MappedIsIPv4AndScopeDropped(string peer, string expected)
    {
        var normalised = IpAddressGrammar.Normalize(IPAddress.Parse(peer));

        // IPAddress equality includes the scope id.
        Assert.Equal(IPAddress.Parse(expected), normalised);
    }

    [Theory]
    [InlineData("0", 255, 0)]
    [InlineData("255", 255, 255)]
    [InlineData("65535", 65535, 65535)]
    public void TryParseDecimal_PlainDecimal_Accepted(string text, int max, int expected)
    {
        Assert.True(IpAddressGrammar.TryParseDecimal(text, max, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", 255)]
    [InlineData("00", 255)]
    [InlineData("010", 255)]
    [InlineData("256", 255)]
    [InlineData("+1", 255)]
    [InlineData("-1", 255)]
    [InlineData(" 1", 255)]
    [InlineData("1 ", 255)]
    [InlineData("0x1", 255)]
    [InlineData("٣", 255)]
    [InlineData("99999999999", int.MaxValue)]
    public void TryParseDecimal_LeadingZeroSignOrOutOfRange_Refused(string text, int max)
    {
        Assert.False(IpAddressGrammar.TryParseDecimal(text, max, out _));
    }

    [Fact]
    public void TryParseForwarded_RandomStrings_NeverThrows()
    {
        Gen.String[Gen.Char["0123456789abcdef:.[]% ,x-"], 0, 80].Sample(text =>
        {
            IpAddressGrammar.TryParseForwarded(text, out _);
            IpAddressGrammar.TryParseAddress(text, out _);
            IpAddressGrammar.TryParseNetwork(text, out _, out _);
        }, iter: 20_000);
    }
}
