using EdgeProxy.Operations;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Operations;

public sealed class LogRateBoundTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryTake_BeyondTheBurst_SuppressesAndCountsSinceTheFirstSuppressed()
    {
        var bound = new LogRateBound(10, _time);

        var taken = Enumerable.Range(0, 25).Count(_ => bound.TryTake());
        _time.Advance(TimeSpan.FromMilliseconds(50)); // half a token: still nothing to take
        var late = bound.TryTake();

        Assert.Equal(10, taken);
        Assert.False(late);
        Assert.True(bound.TryTakeSuppressed(out var count, out var over));
        Assert.Equal(16, count);
        Assert.Equal(TimeSpan.FromMilliseconds(50), over);
        Assert.False(bound.TryTakeSuppressed(out _, out _));
    }

    [Fact]
    public void TryTake_RefillsAtTheRate_UpToTheBurstOnly()
    {
        var bound = new LogRateBound(10, _time);
        Assert.Equal(10, Enumerable.Range(0, 10).Count(_ => bound.TryTake()));

        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bound.TryTake()));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(10, Enumerable.Range(0, 30).Count(_ => bound.TryTake()));
    }
}
