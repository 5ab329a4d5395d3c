using System.Buffers.Binary;
using System.Net;

namespace EdgeProxy.Admission;

/// <summary>
/// The v2 binary header: 12-byte signature, version and command, family and transport, a big-endian length,
/// then addresses and TLVs (skipped). LOCAL (a balancer's own health check) and the UNSPEC family carry no
/// client: the socket peer is the client, as the specification says. AF_UNIX and UDP are refused: an L4
/// balancer in front of this TCP listener relays TCP clients, and anything else has no address to judge.
/// </summary>
internal static class ProxyProtocolV2
{
    private const int FixedLength = 16;

    /// <param name="input">Starts with the 12-byte signature; at most <see cref="ProxyProtocolParser.MaxLength"/> bytes.</param>
    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> input)
    {
        if (input.Length < FixedLength)
        {
            return input.Length > 12 && input[12] >> 4 != 2
                ? ProxyHeaderResult.Invalid("v2 header has a version other than 2")
                : ProxyHeaderResult.NeedMoreData;
        }

        var (version, command) = (input[12] >> 4, input[12] & 0x0F);
        if (version != 2)
        {
            return ProxyHeaderResult.Invalid("v2 header has a version other than 2");
        }

        if (command > 1)
        {
            return ProxyHeaderResult.Invalid("v2 header has a command other than LOCAL or PROXY");
        }

        var length = FixedLength + BinaryPrimitives.ReadUInt16BigEndian(input[14..]);
        if (length > ProxyProtocolParser.MaxLength)
        {
            return ProxyHeaderResult.Invalid($"v2 header is longer than {ProxyProtocolParser.MaxLength} bytes");
        }

        if (input.Length < length)
        {
            return ProxyHeaderResult.NeedMoreData;
        }

        var body = input[FixedLength..length];
        return (command, input[13]) switch
        {
            // LOCAL: the balancer speaking for itself; the address block is ignored whatever its family.
            (0, _) or (1, 0x00) => ProxyHeaderResult.Parsed(new ProxyHeader(2, null, null), length),
            (1, 0x11) => Addresses(body, 4, length),
            (1, 0x21) => Addresses(body, 16, length),
            (1, 0x12 or 0x22) => ProxyHeaderResult.Invalid("v2 header relays UDP, not TCP"),
            (1, 0x31 or 0x32) => ProxyHeaderResult.Invalid("v2 header relays a UNIX socket, which has no IP address"),
            _ => ProxyHeaderResult.Invalid("v2 header has an unknown address family or transport"),
        };
    }

    private static ProxyHeaderResult Addresses(ReadOnlySpan<byte> body, int size, int length)
    {
        if (body.Length < 2 * size + 4)
        {
            return ProxyHeaderResult.Invalid("v2 header is shorter than its address family's addresses");
        }

        var source = IpAddressGrammar.Normalize(new IPAddress(body[..size]));
        var destination = IpAddressGrammar.Normalize(new IPAddress(body[size..(2 * size)]));
        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(body[(2 * size)..]);
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(body[(2 * size + 2)..]);
        return ProxyHeaderResult.Parsed(new ProxyHeader(2, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort)), length);
    }
}
