using EdgeProxy.Edge;

namespace EdgeProxy.Tests.Edge;

public class TrackingIdsTests
{
    private static readonly byte[] Prefix = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0];

    [Fact]
    public void Next_IsAGuidWithTheSamePrefixAndVersion8()
    {
        var ids = new TrackingIds(Prefix);

        var id = Guid.Parse(ids.Next());

        var text = id.ToString("D");
        Assert.StartsWith("12345678-9abc-8ef0-", text);
        Assert.Equal(8, id.Version);
        Assert.Equal('8', text[19]); // variant 10xx: 8, 9, a or b
    }

    [Fact]
    public void Next_CountsUpInTheTail()
    {
        var ids = new TrackingIds(Prefix);

        Assert.Equal("12345678-9abc-8ef0-8000-000000000001", ids.Next());
        Assert.Equal("12345678-9abc-8ef0-8000-000000000002", ids.Next());
    }

    [Fact]
    public async Task Next_FromManyThreads_NeverRepeats()
    {
        var ids = new TrackingIds(Prefix);

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 5_000).Select(_ => ids.Next()).ToList())));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Constructor_RejectsAPrefixThatIsNotEightBytes()
    {
        Assert.Throws<ArgumentException>(() => new TrackingIds(new byte[7]));
    }
}
