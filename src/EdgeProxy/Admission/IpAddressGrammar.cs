using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeProxy.Admission;

/// <summary>
/// The one address grammar of every input: env values, forwarding headers and socket peers. IPv4 is a
/// dotted quad of decimal octets 0-255 without leading zeros; IPv6 is what <see cref="IPAddress"/> reads,
/// without a zone id; an IPv4-mapped IPv6 address is its IPv4 address. Callers pass the token alone,
/// already cut from its list and trimmed. Hand-written around <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// because it has no strict mode: it reads "010" as octal, "0x7f" as hex and "10.1" as 10.0.0.1, so an
/// allow-list or a balancer's header would silently mean another address.
/// </summary>
public static class IpAddressGrammar
{
    /// <summary>Longer than any address with brackets and port (45 + 8 characters); refused before parsing.</summary>
    public const int MaxLength = 64;

    private const string NetworkExamples = "e.g. 203.0.113.7, 2001:db8::1, 203.0.113.0/24";

    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>A bare address (<c>203.0.113.7</c>, <c>2001:db8::7</c>, <c>::ffff:203.0.113.7</c>), normalised.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length > MaxLength || !TryParseLiteral(text, out var literal))
        {
            return false;
        }

        address = Normalize(literal);
        return true;
    }

    /// <summary>
    /// A forwarding-header entry: a bare address, or the forms with a port balancers write
    /// (<c>203.0.113.7:50312</c>, <c>[2001:db8::7]</c>, <c>[2001:db8::7]:50312</c>). The port is not kept.
    /// </summary>
    public static bool TryParseForwarded(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Length > MaxLength)
        {
            return false;
        }

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            return close > 0 && IsPortSuffix(text[(close + 1)..]) && text[1..close].Contains(':') && TryParseAddress(text[1..close], out address);
        }

        var colon = text.IndexOf(':');
        if (colon >= 0 && colon == text.LastIndexOf(':'))
        {
            return IsPortSuffix(text[colon..]) && TryParseIpv4(text[..colon], out address);
        }

        return TryParseAddress(text, out address);
    }

    /// <summary>
    /// An address or CIDR block with a decimal prefix length. Host bits must be zero: <see cref="IPNetwork"/>
    /// would silently clear them and widen what an operator meant. A mapped block (<c>::ffff:10.0.0.0/104</c>) is IPv4.
    /// </summary>
    /// <param name="error">Says what would be valid; quotes <paramref name="text"/>.</param>
    public static bool TryParseNetwork(string text, out IPNetwork network, out string error)
    {
        network = default;
        error = "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if (addressText.Length > MaxLength || !TryParseLiteral(addressText, out var address))
        {
            error = $"'{text}' is not an IP address or CIDR block ({NetworkExamples})";
            return false;
        }

        var (min, max) = address.IsIPv4MappedToIPv6 ? (96, 128) : (0, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        var prefix = max;
        if (slash >= 0 && (!TryParseDecimal(text.AsSpan(slash + 1), max, out prefix) || prefix < min))
        {
            error = $"'{text}' has an invalid prefix length ({min}-{max})";
            return false;
        }

        // The IPNetwork constructor clears host bits; a cleared bit means the operator wrote more than the block.
        var masked = new IPNetwork(address, prefix);
        if (!masked.BaseAddress.Equals(address))
        {
            error = $"'{text}' has host bits set; did you mean {Normalize(masked)}?";
            return false;
        }

        network = Normalize(masked);
        return true;
    }

    /// <summary>How every address is compared: IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>) is the IPv4 address; scope ids never matter.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    /// <summary>A mapped block of prefix 96 or more is the IPv4 block; anything else is unchanged.</summary>
    public static IPNetwork Normalize(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    /// <summary>A decimal number from 0 to <paramref name="max"/>, ASCII digits only, no sign and no leading zero.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, int max, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 10 && (text[0] != '0' || text.Length == 1) && !text.ContainsAnyExceptInRange('0', '9')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    // Not normalised: the network parser needs to know whether the text was a mapped address.
    private static bool TryParseLiteral(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address) =>
        text.Contains(':') ? TryParseIpv6(text, out address) : TryParseIpv4(text, out address);

    private static bool TryParseIpv4(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        var index = 0;
        foreach (var range in text.Split('.'))
        {
            if (index == 4 || !TryParseDecimal(text[range], 255, out var octet))
            {
                return false;
            }

            octets[index++] = (byte)octet;
        }

        address = index == 4 ? new IPAddress(octets) : null;
        return address is not null;
    }

    // IPAddress reads IPv6 strictly enough; it only also takes brackets, a port, a zone id and a lenient embedded IPv4.
    private static bool TryParseIpv6(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.ContainsAnyExcept(Ipv6Characters))
        {
            return false;
        }

        var lastColon = text.LastIndexOf(':');
        if (text.Contains('.') && (text[..lastColon].Contains('.') || !TryParseIpv4(text[(lastColon + 1)..], out _)))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsPortSuffix(ReadOnlySpan<char> suffix) =>
        suffix.IsEmpty || (suffix[0] == ':' && TryParseDecimal(suffix[1..], 65535, out _));
}
