using CsCheck;
using EdgeProxy.Admission;

namespace EdgeProxy.Tests.Admission;

public sealed class ForwardedAddressParserTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("  203.0.113.7 ", "203.0.113.7")]
    [InlineData("203.0.113.7:50312", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("[2001:db8::7]", "2001:db8::7")]
    [InlineData("[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("[::ffff:203.0.113.7]:1", "203.0.113.7")]
    public void TryParse_AddressForms_YieldNormalisedAddress(string text, string expected)
    {
        Assert.True(ForwardedAddressParser.TryParse(text, out var address));
        Assert.Equal(expected, address!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("example.com")]
    [InlineData("127.1")]
    [InlineData("010.0.0.1x")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("203.0.113.7:")]
    [InlineData("203.0.113.7:70000")]
    [InlineData("203.0.113.7:port")]
    [InlineData("[203.0.113.7]")]
    [InlineData("[2001:db8::7")]
    [InlineData("[2001:db8::7]x")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%2]:80")]
    [InlineData("203.0.113.7, 203.0.113.8")]
    [InlineData("for=203.0.113.7")]
    public void TryParse_NotAnAddress_IsRejected(string text)
    {
        Assert.False(ForwardedAddressParser.TryParse(text, out var address));
        Assert.Null(address);
    }

    [Fact]
    public void TryParse_LongInput_IsRejectedWithoutParsing()
    {
        Assert.False(ForwardedAddressParser.TryParse(new string('1', 8192), out _));
    }

    [Fact]
    public void TryParse_RandomStrings_NeverThrows()
    {
        Gen.String[Gen.Char["0123456789abcdef:.[]% ,x-"], 0, 80].Sample(text =>
        {
            ForwardedAddressParser.TryParse(text, out _);
        }, iter: 20_000);
    }
}
