using System.Buffers;

namespace EdgeProxy.Upstreams;

/// <summary>
/// The client's request body, readable again from the start after a failed attempt, held in memory up to a bound.
/// Hand-written: ASP.NET Core's <c>EnableBuffering</c> spills bodies over 30 KB into a temporary file, and EdgeProxy
/// writes no file (its container's root filesystem is read-only); past the bound this stream only passes bytes
/// through and <see cref="CanRewind"/> turns false, so such a request is not replayed once bytes of it were sent.
/// </summary>
public sealed class ReplayableRequestBody(Stream inner, int limit) : Stream
{
    /// <summary>The largest body kept for a replay: Cloud Connect's task requests are a few kilobytes.</summary>
    public const int DefaultLimit = 64 * 1024;

    private byte[]? _kept;
    private int _length;
    private int _position;

    /// <summary>False once the body outgrew the bound: what was read is gone.</summary>
    public bool CanRewind { get; private set; } = true;

    /// <summary>Serves the body again from its first byte, then the rest of the client's body.</summary>
    public void Rewind()
    {
        if (!CanRewind)
        {
            throw new InvalidOperationException($"the request body outgrew the {limit}-byte replay bound");
        }

        _position = 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TryReadKept(buffer, out var copied))
        {
            return copied;
        }

        var read = inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadKept(buffer.Span, out var copied))
        {
            return copied;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private bool TryReadKept(Span<byte> buffer, out int copied)
    {
        copied = Math.Min(buffer.Length, _length - _position);
        if (copied <= 0 || buffer.IsEmpty)
        {
            return false;
        }

        _kept.AsSpan(_position, copied).CopyTo(buffer);
        _position += copied;
        return true;
    }

    private void Keep(ReadOnlySpan<byte> read)
    {
        if (!CanRewind || read.IsEmpty)
        {
            return;
        }

        if (_length + read.Length > limit)
        {
            CanRewind = false;
            Release();
            return;
        }

        if (_kept is null || _kept.Length < _length + read.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(_length + read.Length, (_kept?.Length ?? 1024) * 2)));
            _kept?.AsSpan(0, _length).CopyTo(grown);
            Release();
            _kept = grown;
        }

        read.CopyTo(_kept.AsSpan(_length));
        _length += read.Length;
        _position = _length;
    }

    private void Release()
    {
        if (_kept is not null)
        {
            ArrayPool<byte>.Shared.Return(_kept);
            _kept = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        Release();
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
