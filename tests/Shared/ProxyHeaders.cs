using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeProxy.Testing;

/// <summary>PROXY headers as HAProxy's send-proxy and send-proxy-v2 write them, and sequences cut into segments.</summary>
internal static class ProxyHeaders
{
    public static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] V1(IPEndPoint source, IPEndPoint destination) => Encoding.ASCII.GetBytes(
        $"PROXY {(source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6")} {source.Address} {destination.Address} {source.Port} {destination.Port}\r\n");

    public static byte[] V1(string line) => Encoding.ASCII.GetBytes(line);

    /// <summary>A v2 PROXY (or LOCAL) header for TCP over the endpoints' family, with <paramref name="tlvs"/> after the addresses.</summary>
    public static byte[] V2(IPEndPoint source, IPEndPoint destination, byte[]? tlvs = null, bool local = false)
    {
        var v4 = source.AddressFamily == AddressFamily.InterNetwork;
        var addresses = new byte[v4 ? 12 : 36];
        var size = v4 ? 4 : 16;
        source.Address.TryWriteBytes(addresses, out _);
        destination.Address.TryWriteBytes(addresses.AsSpan(size), out _);
        BinaryPrimitives.WriteUInt16BigEndian(addresses.AsSpan(2 * size), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(addresses.AsSpan((2 * size) + 2), (ushort)destination.Port);
        return V2Raw(local ? (byte)0x20 : (byte)0x21, v4 ? (byte)0x11 : (byte)0x21, [.. addresses, .. tlvs ?? []]);
    }

    /// <summary>Signature, version/command byte, family/transport byte, big-endian length of <paramref name="body"/>, body.</summary>
    public static byte[] V2Raw(byte versionCommand, byte family, byte[] body, int? declaredLength = null)
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(declaredLength ?? body.Length));
        return [.. V2Signature, versionCommand, family, .. length, .. body];
    }

    /// <summary>A TLV: type, big-endian length, value.</summary>
    public static byte[] Tlv(byte type, byte[] value) => [type, (byte)(value.Length >> 8), (byte)value.Length, .. value];

    /// <summary><paramref name="bytes"/> as a sequence cut at <paramref name="cuts"/> (offsets, any order, out-of-range ignored).</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, IEnumerable<int> cuts)
    {
        var offsets = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToList();
        Segment? first = null;
        Segment? last = null;
        var start = 0;
        foreach (var end in offsets)
        {
            var segment = new Segment(bytes.AsMemory(start, end - start), last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
            start = end;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
