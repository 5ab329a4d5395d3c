using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;

namespace EdgeProxy.Admission;

/// <summary>
/// An immutable set of addresses and CIDR blocks. A lookup masks the address once per distinct prefix
/// length present (at most 33 for IPv4, 129 for IPv6) and probes a frozen hash set, so its cost does not
/// grow with the number of entries. Hand-written: <see cref="IPNetwork.Contains"/> is a linear scan
/// when there are many networks.
/// </summary>
public sealed class AddressSet
{
    private readonly (int Prefix, FrozenSet<uint> Networks)[] _v4;
    private readonly (int Prefix, FrozenSet<UInt128> Networks)[] _v6;

    public AddressSet(IEnumerable<IPNetwork> networks)
    {
        var v4 = new Dictionary<int, HashSet<uint>>();
        var v6 = new Dictionary<int, HashSet<UInt128>>();
        var count = 0;
        foreach (var given in networks)
        {
            count++;
            var network = IpAddressGrammar.Normalize(given);
            var (address, prefix) = (network.BaseAddress, network.PrefixLength);
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                Bucket(v4, prefix).Add(Mask(ToUInt32(address), prefix));
            }
            else
            {
                Bucket(v6, prefix).Add(Mask(ToUInt128(address), prefix));
            }
        }

        Count = count;
        // Longest prefixes first: single addresses are the common case.
        _v4 = [.. v4.OrderByDescending(p => p.Key).Select(p => (p.Key, p.Value.ToFrozenSet()))];
        _v6 = [.. v6.OrderByDescending(p => p.Key).Select(p => (p.Key, p.Value.ToFrozenSet()))];
    }

    public static AddressSet Empty { get; } = new([]);

    /// <summary>Number of entries the set was built from.</summary>
    public int Count { get; }

    public bool IsEmpty => Count == 0;

    public bool Contains(IPAddress address)
    {
        address = IpAddressGrammar.Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var value = ToUInt32(address);
            foreach (var (prefix, networks) in _v4)
            {
                if (networks.Contains(Mask(value, prefix)))
                {
                    return true;
                }
            }
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var value = ToUInt128(address);
            foreach (var (prefix, networks) in _v6)
            {
                if (networks.Contains(Mask(value, prefix)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static HashSet<T> Bucket<T>(Dictionary<int, HashSet<T>> buckets, int prefix)
    {
        if (!buckets.TryGetValue(prefix, out var set))
        {
            buckets[prefix] = set = [];
        }

        return set;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static uint Mask(uint value, int prefix) => prefix == 0 ? 0 : value & (uint.MaxValue << (32 - prefix));

    private static UInt128 Mask(UInt128 value, int prefix) => prefix == 0 ? 0 : value & (UInt128.MaxValue << (128 - prefix));
}
