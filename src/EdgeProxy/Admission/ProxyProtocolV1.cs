using System.Net;

namespace EdgeProxy.Admission;

/// <summary>
/// The v1 text header: <c>PROXY TCP4|TCP6 source destination source-port destination-port\r\n</c>, single
/// spaces, at most 107 bytes; or <c>PROXY UNKNOWN ...\r\n</c>, whose rest is ignored. Addresses are read with
/// the project's one address grammar; ports are decimal 0-65535 without leading zeros.
/// </summary>
internal static class ProxyProtocolV1
{
    /// <param name="input">Starts with "PROXY "; at most <see cref="ProxyProtocolParser.MaxV1Length"/> bytes.</param>
    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> input)
    {
        var end = -1;
        for (var i = ProxyProtocolParser.V1Signature.Length; i < input.Length && end < 0; i++)
        {
            switch (input[i])
            {
                case (byte)'\n':
                    end = i;
                    break;
                case (byte)'\r' when i + 1 < input.Length && input[i + 1] != '\n':
                    return ProxyHeaderResult.Invalid("v1 header has a CR not followed by LF");
                case (byte)'\r':
                    break;
                case < 0x20 or > 0x7E:
                    return ProxyHeaderResult.Invalid("v1 header has a byte that is not printable ASCII");
            }
        }

        if (end < 0)
        {
            return input.Length >= ProxyProtocolParser.MaxV1Length
                ? ProxyHeaderResult.Invalid($"v1 header has no CRLF within {ProxyProtocolParser.MaxV1Length} bytes")
                : ProxyHeaderResult.NeedMoreData;
        }

        if (input[end - 1] != '\r')
        {
            return ProxyHeaderResult.Invalid("v1 header ends in LF without CR");
        }

        // Printable ASCII only (checked above), so one byte is one char.
        Span<char> text = stackalloc char[ProxyProtocolParser.MaxV1Length];
        var line = input[ProxyProtocolParser.V1Signature.Length..(end - 1)];
        for (var i = 0; i < line.Length; i++)
        {
            text[i] = (char)line[i];
        }

        var header = ParseFields(text[..line.Length], out var error);
        return header is null ? ProxyHeaderResult.Invalid(error) : ProxyHeaderResult.Parsed(header, end + 1);
    }

    private static ProxyHeader? ParseFields(ReadOnlySpan<char> line, out string error)
    {
        error = "";
        if (line.SequenceEqual("UNKNOWN") || line.StartsWith("UNKNOWN "))
        {
            return new ProxyHeader(1, null, null);
        }

        Span<Range> fields = stackalloc Range[6];
        var count = line.Split(fields, ' ');
        var protocol = line[fields[0]];
        var ipv6 = protocol.SequenceEqual("TCP6");
        if (!ipv6 && !protocol.SequenceEqual("TCP4"))
        {
            error = "v1 header names no protocol TCP4, TCP6 or UNKNOWN";
            return null;
        }

        if (count != 5)
        {
            error = "v1 header does not have five fields separated by single spaces";
            return null;
        }

        if (!TryParseAddress(line[fields[1]], ipv6, out var source) || !TryParseAddress(line[fields[2]], ipv6, out var destination))
        {
            error = $"v1 header has an address that is not {(ipv6 ? "IPv6" : "IPv4")}";
            return null;
        }

        if (!IpAddressGrammar.TryParseDecimal(line[fields[3]], 65535, out var sourcePort)
            || !IpAddressGrammar.TryParseDecimal(line[fields[4]], 65535, out var destinationPort))
        {
            error = "v1 header has a port that is not 0-65535 without leading zeros";
            return null;
        }

        return new ProxyHeader(1, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, bool ipv6, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':') != ipv6 || !IpAddressGrammar.TryParseAddress(text, out var parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
