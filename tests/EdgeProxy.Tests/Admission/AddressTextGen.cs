using System.Globalization;
using System.Net;
using CsCheck;

namespace EdgeProxy.Tests.Admission;

/// <summary>
/// Address texts for the grammar's property tests: canonical renderings of random addresses and networks,
/// and mutations of them a balancer or an operator might write (leading zeros, hex, shorthand, zone ids, stray characters).
/// </summary>
internal static class AddressTextGen
{
    public static readonly Gen<IPAddress> Ipv4 = Gen.UInt.Select(v => new IPAddress(BitConverter.GetBytes(v)));

    // Whole zero hextets, so the "::" compression appears often.
    public static readonly Gen<IPAddress> Ipv6 = Gen.Select(Gen.Byte.Array[16], Gen.UShort, (bytes, zeroHextets) =>
    {
        for (var i = 0; i < 8; i++)
        {
            if ((zeroHextets & (1 << i)) != 0)
            {
                bytes[2 * i] = bytes[(2 * i) + 1] = 0;
            }
        }

        return new IPAddress(bytes);
    });

    public static readonly Gen<IPAddress> Address = Gen.OneOf<IPAddress>(Ipv4, Ipv6, Ipv4.Select(a => a.MapToIPv6()));

    /// <summary>Canonical text, mapped IPv6 spelled out, or a mutation of either.</summary>
    public static readonly Gen<string> Text = Gen.Frequency<string>(
        (2, Address.Select(a => a.ToString())),
        (1, Ipv4.Select(a => "::ffff:" + a)),
        (1, Ipv6.Select(Expanded)),
        (6, Gen.Select(Address, Gen.Int[0, 7], Gen.Int[0, 99], (a, kind, at) => Mutate(a.ToString(), kind, at))),
        (1, Gen.String[Gen.Char["0123456789abcdefxX:.[]% "], 0, 24]));

    /// <summary>A CIDR text: canonical (host bits clear), host bits set, mapped, or a prefix with a leading zero.</summary>
    public static readonly Gen<string> Network = Gen.Select(Address, Gen.Int[0, 128], Gen.Int[0, 3], (address, p, kind) =>
    {
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = p % (max + 1);
        var canonical = new IPNetwork(address, prefix);
        return kind switch
        {
            0 => canonical.ToString(),
            1 => $"{address}/{prefix}",
            2 when max == 32 => $"::ffff:{canonical.BaseAddress}/{96 + prefix}",
            _ => $"{canonical.BaseAddress}/0{prefix}",
        };
    });

    private static string Expanded(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return string.Join(':', Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x4", CultureInfo.InvariantCulture)));
    }

    private static string Mutate(string text, int kind, int at)
    {
        var parts = text.Split('.');
        var octet = at % parts.Length;
        switch (kind)
        {
            case 0:
                parts[octet] = "0" + parts[octet];
                return string.Join('.', parts);
            case 1:
                var digits = parts[octet][(parts[octet].LastIndexOf(':') + 1)..];
                parts[octet] = parts[octet][..^digits.Length] + (int.TryParse(digits, CultureInfo.InvariantCulture, out var value) ? "0x" + value.ToString("x", CultureInfo.InvariantCulture) : digits);
                return string.Join('.', parts);
            case 2:
                return parts.Length == 4 ? string.Join('.', parts.Where((_, i) => i != octet)) : text + ".1";
            case 3:
                return text + (at % 2 == 0 ? "%eth0" : "%2");
            case 4:
                return text.ToUpperInvariant();
            case 5:
                return text.Insert(at % (text.Length + 1), "0");
            case 6:
                return text.Remove(at % text.Length, 1);
            default:
                return text.Insert(at % (text.Length + 1), " ");
        }
    }
}
