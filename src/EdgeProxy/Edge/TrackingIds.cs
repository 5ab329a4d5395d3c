using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EdgeProxy.Edge;

/// <summary>
/// Generates tracking ids for requests that arrive without one: GUID-formatted (RFC 9562 version 8), a random
/// 64-bit prefix drawn once per generator followed by a 62-bit counter. Hand-written because Guid.NewGuid reads
/// the kernel's random source on every call here, a system call per request; a tracking id needs to be unique,
/// not unpredictable.
/// </summary>
public sealed class TrackingIds
{
    /// <summary>The process-wide generator, its prefix drawn at start-up.</summary>
    public static readonly TrackingIds Shared = new(RandomNumberGenerator.GetBytes(8));

    private readonly int _a;
    private readonly short _b;
    private readonly short _c;
    private long _counter;

    /// <param name="prefix">Eight bytes; their version nibble is overwritten with 8.</param>
    public TrackingIds(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length != 8)
        {
            throw new ArgumentException("the prefix must be 8 bytes", nameof(prefix));
        }

        _a = BinaryPrimitives.ReadInt32BigEndian(prefix);
        _b = BinaryPrimitives.ReadInt16BigEndian(prefix[4..]);
        _c = (short)((BinaryPrimitives.ReadUInt16BigEndian(prefix[6..]) & 0x0FFF) | 0x8000);
    }

    public string Next()
    {
        // The top two bits of the counter half carry the RFC 9562 variant (binary 10); 2^62 ids before it wraps.
        var sequence = ((ulong)Interlocked.Increment(ref _counter) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(tail, sequence);
        return new Guid(_a, _b, _c, tail[0], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7]).ToString("D");
    }
}
