using System.Buffers;
using System.Net;
using EdgeProxy.Admission;
using EdgeProxy.Testing;

namespace EdgeProxy.Tests.Admission;

public sealed class ProxyProtocolParserTests
{
    private static readonly IPEndPoint Client4 = IPEndPoint.Parse("203.0.113.7:50312");
    private static readonly IPEndPoint Proxy4 = IPEndPoint.Parse("192.0.2.1:443");
    private static readonly IPEndPoint Client6 = IPEndPoint.Parse("[2001:db8::7]:50312");
    private static readonly IPEndPoint Proxy6 = IPEndPoint.Parse("[2001:db8::1]:443");

    // "PROXY UNKNOWN", two full IPv6 addresses, two 5-digit ports, CRLF: the specification's 107 bytes.
    private const string LongestV1 = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";

    public static TheoryData<string, string, string?> V1Valid => new()
    {
        // line, expected source, expected destination (null: the socket peer is the client)
        { "PROXY TCP4 203.0.113.7 192.0.2.1 50312 443\r\n", "203.0.113.7:50312", "192.0.2.1:443" },
        { "PROXY TCP6 2001:db8::7 2001:db8::1 50312 443\r\n", "[2001:db8::7]:50312", "[2001:db8::1]:443" },
        { "PROXY TCP6 ::ffff:203.0.113.7 ::ffff:192.0.2.1 1 2\r\n", "203.0.113.7:1", "192.0.2.1:2" },
        { "PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n", "0.0.0.0:0", "255.255.255.255:65535" },
        { "PROXY UNKNOWN\r\n", "-", null },
        { "PROXY UNKNOWN 203.0.113.7 192.0.2.1 50312 443\r\n", "-", null },
        { LongestV1, "-", null },
    };

    [Theory]
    [MemberData(nameof(V1Valid))]
    public void Parse_ValidV1_ReturnsAddressesAndLength(string line, string source, string? destination)
    {
        var bytes = ProxyHeaders.V1(line + "\x16\x03\x01");

        var result = ProxyProtocolParser.Parse(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
        Assert.Equal(line.Length, result.Length);
        Assert.Equal(1, result.Header!.Version);
        Assert.Equal(source, result.Header.Source?.ToString() ?? "-");
        Assert.Equal(destination, result.Header.Destination?.ToString());
    }

    [Theory]
    [InlineData("PROXY TCP5 203.0.113.7 192.0.2.1 50312 443\r\n", "protocol")]
    [InlineData("PROXY tcp4 203.0.113.7 192.0.2.1 50312 443\r\n", "protocol")]
    [InlineData("PROXY  TCP4 203.0.113.7 192.0.2.1 50312 443\r\n", "protocol")]
    [InlineData("PROXY UNKNOWNX\r\n", "protocol")]
    [InlineData("PROXY \r\n", "protocol")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312\r\n", "five fields")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443 7\r\n", "five fields")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443 \r\n", "five fields")]
    [InlineData("PROXY TCP4 203.0.113.7  192.0.2.1 50312 443\r\n", "five fields")]
    [InlineData("PROXY TCP4 203.0.113.010 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.01 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 0313.0.113.7 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 0x7f.0.0.1 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 127.1 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 203.0.113.256 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 2001:db8::7 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP6 203.0.113.7 2001:db8::1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP6 2001:db8::7 203.0.113.7 50312 443\r\n", "address")]
    [InlineData("PROXY TCP6 fe80::1%eth0 2001:db8::1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP6 [2001:db8::7] 2001:db8::1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 proxy.example 192.0.2.1 50312 443\r\n", "address")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 65536 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 99999\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 050312 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 00 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 -1 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 +1 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 0x50 443\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 4430000000000\r\n", "port")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443\n", "LF without CR")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443\r\r\n", "CR not followed by LF")]
    [InlineData("PROXY TCP4 203.0.113.7\r192.0.2.1 50312 443\r\n", "CR not followed by LF")]
    [InlineData("PROXY TCP4 203.0.113.7\t192.0.2.1 50312 443\r\n", "printable")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 443\0\r\n", "printable")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 50312 \u00e9\r\n", "printable")]
    public void Parse_MalformedV1_IsInvalid(string line, string error)
    {
        var result = ProxyProtocolParser.Parse(System.Text.Encoding.Latin1.GetBytes(line));

        Assert.Equal(ProxyHeaderStatus.Invalid, result.Status);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        Assert.Null(result.Header);
    }

    [Fact]
    public void Parse_V1OneByteLongerThanTheSpecificationAllows_IsInvalidBeforeItsEnd()
    {
        var line = LongestV1.Insert(LongestV1.Length - 2, "5");

        var result = ProxyProtocolParser.Parse(ProxyHeaders.V1(line));

        Assert.Equal(ProxyHeaderStatus.Invalid, result.Status);
        Assert.Contains("no CRLF within 107 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_V2Tcp4_ReturnsAddressesPortsAndLength()
    {
        var header = ProxyHeaders.V2(Client4, Proxy4);

        var result = ProxyProtocolParser.Parse(new ReadOnlySequence<byte>([.. header, 0x16, 0x03, 0x01]));

        Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
        Assert.Equal(28, result.Length);
        Assert.Equal(new ProxyHeader(2, Client4, Proxy4), result.Header);
    }

    [Fact]
    public void Parse_V2Tcp6_ReturnsAddressesPortsAndLength()
    {
        var result = ProxyProtocolParser.Parse(ProxyHeaders.V2(Client6, Proxy6));

        Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
        Assert.Equal(52, result.Length);
        Assert.Equal(new ProxyHeader(2, Client6, Proxy6), result.Header);
    }

    [Fact]
    public void Parse_V2Tcp6WithMappedAddresses_NormalisesToIpv4()
    {
        var mapped = new IPEndPoint(Client4.Address.MapToIPv6(), Client4.Port);

        var result = ProxyProtocolParser.Parse(ProxyHeaders.V2(mapped, new IPEndPoint(Proxy4.Address.MapToIPv6(), Proxy4.Port)));

        Assert.Equal(new ProxyHeader(2, Client4, Proxy4), result.Header);
    }

    [Fact]
    public void Parse_V2WithTlvs_SkipsThemAndCountsThemInTheLength()
    {
        byte[] tlvs = [.. ProxyHeaders.Tlv(0x01, "h2"u8.ToArray()), .. ProxyHeaders.Tlv(0x04, new byte[4]), .. ProxyHeaders.Tlv(0x20, new byte[40]), .. ProxyHeaders.Tlv(0xEE, [])];

        var result = ProxyProtocolParser.Parse(ProxyHeaders.V2(Client4, Proxy4, tlvs));

        Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
        Assert.Equal(28 + tlvs.Length, result.Length);
        Assert.Equal(Client4, result.Header!.Source);
    }

    [Theory]
    [InlineData(0x20, 0x11)] // LOCAL with TCP4 addresses: ignored
    [InlineData(0x20, 0x00)] // LOCAL, UNSPEC
    [InlineData(0x20, 0x31)] // LOCAL, family ignored whatever it is
    [InlineData(0x21, 0x00)] // PROXY, UNSPEC: like LOCAL
    public void Parse_V2LocalOrUnspec_HasNoSource_SoThePeerIsTheClient(byte versionCommand, byte family)
    {
        var header = ProxyHeaders.V2Raw(versionCommand, family, new byte[12]);

        var result = ProxyProtocolParser.Parse(header);

        Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
        Assert.Equal(header.Length, result.Length);
        Assert.Equal(new ProxyHeader(2, null, null), result.Header);
    }

    [Fact]
    public void Parse_V2LocalWithoutBody_IsSixteenBytes()
    {
        var result = ProxyProtocolParser.Parse(ProxyHeaders.V2Raw(0x20, 0x00, []));

        Assert.Equal((ProxyHeaderStatus.Parsed, 16), (result.Status, result.Length));
    }

    [Theory]
    [InlineData(0x11, 0x11, 12, "version")]
    [InlineData(0x31, 0x11, 12, "version")]
    [InlineData(0x01, 0x11, 12, "version")]
    [InlineData(0x22, 0x11, 12, "command")]
    [InlineData(0x2F, 0x11, 12, "command")]
    [InlineData(0x21, 0x12, 12, "UDP")]
    [InlineData(0x21, 0x22, 36, "UDP")]
    [InlineData(0x21, 0x31, 216, "UNIX")]
    [InlineData(0x21, 0x32, 216, "UNIX")]
    [InlineData(0x21, 0x41, 12, "unknown address family")]
    [InlineData(0x21, 0x10, 12, "unknown address family")]
    [InlineData(0x21, 0x13, 12, "unknown address family")]
    [InlineData(0x21, 0x11, 11, "shorter")]
    [InlineData(0x21, 0x11, 0, "shorter")]
    [InlineData(0x21, 0x21, 35, "shorter")]
    [InlineData(0x21, 0x21, 12, "shorter")]
    [InlineData(0x21, 0x11, 521, "longer than 536")]
    [InlineData(0x20, 0x00, 65535, "longer than 536")]
    public void Parse_MalformedV2_IsInvalid(byte versionCommand, byte family, int length, string error)
    {
        var result = ProxyProtocolParser.Parse(ProxyHeaders.V2Raw(versionCommand, family, new byte[Math.Min(length, 600)], length));

        Assert.Equal(ProxyHeaderStatus.Invalid, result.Status);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_V2OfTheLargestAllowedLength_IsParsed_OneMoreIsRefusedBeforeItArrives()
    {
        var largest = ProxyHeaders.V2(Client4, Proxy4, ProxyHeaders.Tlv(0xEE, new byte[520 - 12 - 3]));
        var oneMore = ProxyHeaders.V2Raw(0x21, 0x11, [], declaredLength: 521);

        Assert.Equal((ProxyHeaderStatus.Parsed, ProxyProtocolParser.MaxLength), (ProxyProtocolParser.Parse(largest).Status, ProxyProtocolParser.Parse(largest).Length));
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyProtocolParser.Parse(oneMore).Status);
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 })] // a TLS ClientHello
    [InlineData(new byte[] { 0x80 })] // SSLv2-style hello
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' })]
    [InlineData(new byte[] { (byte)'P', (byte)'O', (byte)'S', (byte)'T' })]
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)'\r' })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0D })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x47 })]
    public void Parse_NoSignature_IsAbsent(byte[] input) =>
        Assert.Equal(ProxyHeaderStatus.Absent, ProxyProtocolParser.Parse(input).Status);

    public static TheoryData<string, byte[]> ValidHeaders => new()
    {
        { "v1 TCP4", ProxyHeaders.V1(Client4, Proxy4) },
        { "v1 TCP6", ProxyHeaders.V1(Client6, Proxy6) },
        { "v1 UNKNOWN", ProxyHeaders.V1("PROXY UNKNOWN\r\n") },
        { "v1 longest", ProxyHeaders.V1(LongestV1) },
        { "v2 TCP4", ProxyHeaders.V2(Client4, Proxy4) },
        { "v2 TCP6 with TLVs", ProxyHeaders.V2(Client6, Proxy6, ProxyHeaders.Tlv(0x01, "http/1.1"u8.ToArray())) },
        { "v2 LOCAL", ProxyHeaders.V2Raw(0x20, 0x00, []) },
    };

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Parse_ValidHeaderTruncatedAtEveryOffset_NeedsMoreData(string name, byte[] header)
    {
        for (var length = 0; length < header.Length; length++)
        {
            var result = ProxyProtocolParser.Parse(header.AsSpan(0, length));

            Assert.True(result.Status == ProxyHeaderStatus.NeedMoreData, $"{name} cut at {length}: {result}");
        }

        Assert.Equal(ProxyHeaderStatus.Parsed, ProxyProtocolParser.Parse(header).Status);
    }
}
