using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CsCheck;
using EdgeProxy.Admission;
using EdgeProxy.Testing;

namespace EdgeProxy.Tests.Admission;

public sealed class ProxyProtocolParserPropertyTests
{
    private static readonly Gen<IPAddress> Ipv6OrMapped = Gen.Frequency((3, AddressTextGen.Ipv6), (1, AddressTextGen.Ipv4.Select(a => a.MapToIPv6())));

    // Same family on both sides, as a balancer writes them.
    private static readonly Gen<(IPEndPoint Source, IPEndPoint Destination)> Endpoints =
        Gen.Select(Gen.Bool, AddressTextGen.Ipv4, AddressTextGen.Ipv4, Ipv6OrMapped, Ipv6OrMapped, Gen.Int[0, 65535], Gen.Int[0, 65535],
            (v4, s4, d4, s6, d6, sourcePort, destinationPort) => v4
                ? (new IPEndPoint(s4, sourcePort), new IPEndPoint(d4, destinationPort))
                : (new IPEndPoint(s6, sourcePort), new IPEndPoint(d6, destinationPort)));

    private static readonly Gen<byte[]> Tlvs = Gen.Byte.Array[0, 3].Select(Gen.Byte, Gen.Byte.Array[0, 60],
        (types, type, value) => types.SelectMany(t => ProxyHeaders.Tlv((byte)(t ^ type), value)).ToArray());

    /// <summary>Valid headers of both versions with what they say, followed by arbitrary data.</summary>
    private static readonly Gen<(byte[] Bytes, int Length, ProxyHeader Header)> Encoded =
        Gen.Select(Endpoints, Gen.Bool, Tlvs, Gen.Byte.Array[0, 40], (endpoints, v1, tlvs, after) =>
        {
            var (source, destination) = endpoints;
            var header = v1 ? ProxyHeaders.V1(source, destination) : ProxyHeaders.V2(source, destination, tlvs);
            var expected = new ProxyHeader(v1 ? 1 : 2, Normalized(source), Normalized(destination));
            return ((byte[])[.. header, .. after], header.Length, expected);
        });

    /// <summary>Random bytes, often starting with a signature or a valid header's first bytes so the parser's inner paths are reached.</summary>
    private static readonly Gen<byte[]> Noise = Gen.Frequency<byte[]>(
        (1, Gen.Byte.Array[0, 700]),
        (2, Gen.Select(Gen.Byte.Array[0, 700], Gen.Int[0, 1], (tail, which) => (byte[])[.. which == 0 ? "PROXY "u8.ToArray() : ProxyHeaders.V2Signature, .. tail])),
        (2, Gen.Select(Encoded, Gen.Int[0, 600], Gen.Byte.Array[1, 600], (valid, cut, tail) => (byte[])[.. valid.Bytes.AsSpan(0, Math.Min(cut, valid.Bytes.Length)), .. tail])),
        (1, Gen.Select(Gen.Byte[0x00, 0x2F], Gen.Byte, Gen.UShort, Gen.Byte.Array[0, 700],
            (command, family, length, body) => ProxyHeaders.V2Raw(command, family, body, length))));

    [Fact]
    public void Parse_EncodedHeader_GivesBackWhatWasEncoded()
    {
        Encoded.Sample((bytes, length, header) =>
        {
            var result = ProxyProtocolParser.Parse(new ReadOnlySequence<byte>(bytes));

            Assert.Equal(ProxyHeaderStatus.Parsed, result.Status);
            Assert.Equal(length, result.Length);
            Assert.Equal(header, result.Header);
        }, iter: 10_000);
    }

    [Fact]
    public void Parse_EncodedHeaderCutShort_NeedsMoreData()
    {
        Gen.Select(Encoded, Gen.Int[0, 600]).Sample((encoded, cut) =>
        {
            var result = ProxyProtocolParser.Parse(encoded.Bytes.AsSpan(0, cut % encoded.Length));

            Assert.Equal(ProxyHeaderStatus.NeedMoreData, result.Status);
        }, iter: 10_000);
    }

    [Fact]
    public void Parse_AnyBytes_NeverThrows_AndAnswersFromTheBoundedPrefixAlone()
    {
        Gen.Select(Noise, Gen.Byte.Array[0, 100]).Sample((bytes, more) =>
        {
            var result = ProxyProtocolParser.Parse(bytes);

            // Bytes past the bound never change the answer; what is consumed is within the bound and the input.
            var bounded = bytes.AsSpan(0, Math.Min(bytes.Length, ProxyProtocolParser.MaxLength)).ToArray();
            Assert.Equal(result, ProxyProtocolParser.Parse(bounded));
            Assert.Equal(result, ProxyProtocolParser.Parse([.. bounded, .. bytes.Length >= ProxyProtocolParser.MaxLength ? more : []]));
            Assert.InRange(result.Length, 0, Math.Min(bytes.Length, result.Header?.Version == 1 ? ProxyProtocolParser.MaxV1Length : ProxyProtocolParser.MaxLength));
            Assert.Equal(result.Status == ProxyHeaderStatus.Parsed, result.Header is not null);
            Assert.Equal(result.Status == ProxyHeaderStatus.Invalid, result.Error is not null);
            Assert.True(result.Status != ProxyHeaderStatus.NeedMoreData || bytes.Length < ProxyProtocolParser.MaxLength, "a full bound of bytes always decides");
        }, iter: 20_000);
    }

    [Fact]
    public void Parse_SameBytesInAnySegments_SameResult()
    {
        Gen.Select(Gen.OneOf(Noise, Encoded.Select(e => e.Bytes)), Gen.Int[0, 700].Array[0, 12]).Sample((bytes, cuts) =>
        {
            var whole = ProxyProtocolParser.Parse(bytes);

            Assert.Equal(whole, ProxyProtocolParser.Parse(ProxyHeaders.Segmented(bytes, cuts)));
        }, iter: 10_000);
    }

    private static IPEndPoint Normalized(IPEndPoint endpoint) =>
        new(IpAddressGrammar.Normalize(endpoint.Address), endpoint.Port);

    [Fact]
    public void Endpoints_CoverBothFamiliesAndMappedAddresses()
    {
        var sample = Endpoints.Array[400].Single();

        Assert.Contains(sample, e => e.Source.AddressFamily == AddressFamily.InterNetwork);
        Assert.Contains(sample, e => e.Source.AddressFamily == AddressFamily.InterNetworkV6 && !e.Source.Address.IsIPv4MappedToIPv6);
        Assert.Contains(sample, e => e.Source.Address.IsIPv4MappedToIPv6);
    }
}
