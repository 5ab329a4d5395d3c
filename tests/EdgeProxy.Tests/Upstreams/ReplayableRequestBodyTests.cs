using EdgeProxy.Upstreams;

namespace EdgeProxy.Tests.Upstreams;

public sealed class ReplayableRequestBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(4096)]
    public async Task Rewind_AfterReadingAll_ServesTheSameBytesAgain(int size)
    {
        var bytes = Bytes(size);
        await using var body = new ReplayableRequestBody(new TrickleStream(bytes), limit: 4096);

        var first = await ReadAllAsync(body);
        body.Rewind();
        var second = await ReadAllAsync(body);

        Assert.Equal(bytes, first);
        Assert.Equal(bytes, second);
        Assert.True(body.CanRewind);
    }

    [Fact]
    public async Task Rewind_AfterReadingPart_ServesKeptBytesThenTheRest()
    {
        var bytes = Bytes(3000);
        await using var body = new ReplayableRequestBody(new TrickleStream(bytes), limit: 4096);
        var part = new byte[1200];
        await body.ReadExactlyAsync(part);

        body.Rewind();

        Assert.Equal(bytes, await ReadAllAsync(body));
    }

    [Fact]
    public async Task Read_PastTheBound_PassesEverythingThrough_AndCannotRewind()
    {
        var bytes = Bytes(5000);
        await using var body = new ReplayableRequestBody(new TrickleStream(bytes), limit: 4096);

        Assert.Equal(bytes, await ReadAllAsync(body));
        Assert.False(body.CanRewind);
        Assert.Throws<InvalidOperationException>(body.Rewind);
    }

    [Fact]
    public async Task Read_ExactlyTheBound_CanRewind()
    {
        var bytes = Bytes(4096);
        await using var body = new ReplayableRequestBody(new TrickleStream(bytes), limit: 4096);

        await ReadAllAsync(body);

        Assert.True(body.CanRewind);
    }

    private static byte[] Bytes(int size) => [.. Enumerable.Range(0, size).Select(i => (byte)(i * 7))];

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, bufferSize: 700);
        return copy.ToArray();
    }

    // Hands out at most 333 bytes a read, like a network body.
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 333)], cancellationToken);
    }
}
