using System.Buffers;

namespace EdgeProxy.Admission;

/// <summary>
/// Reads a PROXY protocol header (HAProxy's proxy-protocol.txt, v1 text and v2 binary) from the first bytes
/// of a connection. Pure and bounded: it looks at no more than <see cref="MaxLength"/> bytes, however many
/// it is given, and answers from those alone, so the caller may call it again with every new read.
/// Hand-written: neither Kestrel nor YARP reads PROXY headers, and no package on the project's source does.
/// </summary>
public static class ProxyProtocolParser
{
    /// <summary>The v1 bound from the specification: "PROXY TCP6", two full IPv6 addresses, two ports, CRLF.</summary>
    public const int MaxV1Length = 107;

    /// <summary>The v2 bound: 16 fixed bytes plus up to 520 of addresses and TLVs, HAProxy's own buffer size.</summary>
    public const int MaxLength = 536;

    internal static ReadOnlySpan<byte> V1Signature => "PROXY "u8;

    internal static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static ProxyHeaderResult Parse(in ReadOnlySequence<byte> input)
    {
        var length = (int)Math.Min(input.Length, MaxLength);
        if (input.FirstSpan.Length >= length)
        {
            return Parse(input.FirstSpan[..length]);
        }

        Span<byte> bytes = stackalloc byte[MaxLength];
        input.Slice(0, length).CopyTo(bytes);
        return Parse(bytes[..length]);
    }

    /// <summary>The same, over the first bytes in one span.</summary>
    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> input)
    {
        input = input[..Math.Min(input.Length, MaxLength)];
        if (input.IsEmpty)
        {
            return ProxyHeaderResult.NeedMoreData;
        }

        if (StartsAsPrefix(input, V2Signature))
        {
            return input.Length < V2Signature.Length ? ProxyHeaderResult.NeedMoreData : ProxyProtocolV2.Parse(input);
        }

        if (StartsAsPrefix(input, V1Signature))
        {
            return input.Length < V1Signature.Length ? ProxyHeaderResult.NeedMoreData : ProxyProtocolV1.Parse(input[..Math.Min(input.Length, MaxV1Length)]);
        }

        return ProxyHeaderResult.Absent;
    }

    // True when the input and the signature agree on their common length.
    private static bool StartsAsPrefix(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        var common = Math.Min(input.Length, signature.Length);
        return input[..common].SequenceEqual(signature[..common]);
    }
}
