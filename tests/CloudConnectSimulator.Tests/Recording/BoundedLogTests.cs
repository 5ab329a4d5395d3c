using CloudConnectSimulator.Recording;

namespace CloudConnectSimulator.Tests.Recording;

public sealed class BoundedLogTests
{
    [Fact]
    public void Add_BeyondCapacity_KeepsLatestInOrder()
    {
        var log = new BoundedLog<int>(capacity: 3);

        foreach (var i in Enumerable.Range(1, 5))
        {
            log.Add(i);
        }

        Assert.Equal([3, 4, 5], log.Snapshot());
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public void Snapshot_ThenMoreAdded_SnapshotUnchanged()
    {
        var log = new BoundedLog<int>(capacity: 3);
        log.Add(1);

        var snapshot = log.Snapshot();
        log.Add(2);

        Assert.Equal([1], snapshot);
    }
}
