using System.Net;
using System.Net.Sockets;

namespace EdgeProxy.Admission;

/// <summary>
/// Parses one address as load balancers write it into X-Forwarded-For or X-Real-IP: <c>203.0.113.7</c>,
/// <c>2001:db8::7</c>, and the forms with a port some balancers add (<c>203.0.113.7:50312</c>,
/// <c>[2001:db8::7]:50312</c>). Anything else (zone ids, shorthand IPv4, names, garbage) is rejected.
/// </summary>
public static class ForwardedAddressParser
{
    private const int MaxLength = 64;

    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        text = text.Trim();
        if (text.IsEmpty || text.Length > MaxLength || text.Contains('%'))
        {
            return false;
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0 || !IsPortSuffix(text[(close + 1)..]))
            {
                return false;
            }

            return TryParseExact(text[1..close], AddressFamily.InterNetworkV6, out address);
        }

        var colons = text.Count(':');
        if (colons == 1)
        {
            var colon = text.IndexOf(':');
            return IsPortSuffix(text[colon..]) && TryParseExact(text[..colon], AddressFamily.InterNetwork, out address);
        }

        return TryParseExact(text, colons == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, out address);
    }

    private static bool TryParseExact(ReadOnlySpan<char> text, AddressFamily family, out IPAddress? address)
    {
        address = null;
        // IPAddress.TryParse also takes "10.1" and "0x7f.1"; only dotted-quad decimal is an IPv4 address here.
        if (family == AddressFamily.InterNetwork && (text.Count('.') != 3 || text.ContainsAnyExcept("0123456789.")))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != family)
        {
            return false;
        }

        address = AddressSet.Normalize(parsed);
        return true;
    }

    private static bool IsPortSuffix(ReadOnlySpan<char> suffix) =>
        suffix.IsEmpty || (suffix[0] == ':' && suffix.Length is > 1 and <= 6 && !suffix[1..].ContainsAnyExcept("0123456789")
            && int.Parse(suffix[1..], System.Globalization.CultureInfo.InvariantCulture) <= 65535);
}
