using EdgeProxy.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Upstreams;

/// <summary>Which node a request goes to, decided once from the tracker's snapshot.</summary>
public sealed class NodeForwarderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Choose_DigitalRoutingNoHealthyNode_NoNode_NotPanicMode()
    {
        var tracker = Tracker();
        tracker.RecordProbes([Failed(NodeRole.Publisher), Failed(NodeRole.Subscriber)]);

        Assert.Null(NodeForwarder.Choose(isDataConn: false, tracker.Snapshot));
    }

    [Fact]
    public void Choose_DigitalRoutingBothHealthy_OnlyTheActiveNode()
    {
        var tracker = Tracker();
        tracker.RecordProbes([Answered(NodeRole.Publisher, 503), Answered(NodeRole.Subscriber, 200)]);
        tracker.RecordProbes([Answered(NodeRole.Publisher, 200), Answered(NodeRole.Subscriber, 200)]);

        Assert.Equal(NodeRole.Subscriber, NodeForwarder.Choose(isDataConn: false, tracker.Snapshot));
    }

    [Fact]
    public void Choose_DataConnStandbyPublisher_StillThePublisher_UnreachablePublisher_NoNode()
    {
        var tracker = Tracker();

        tracker.RecordProbes([Answered(NodeRole.Publisher, 503), Answered(NodeRole.Subscriber, 200)]);
        Assert.Equal(NodeRole.Publisher, NodeForwarder.Choose(isDataConn: true, tracker.Snapshot));

        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
        Assert.Null(NodeForwarder.Choose(isDataConn: true, tracker.Snapshot));
        Assert.Equal(NodeRole.Subscriber, NodeForwarder.Choose(isDataConn: false, tracker.Snapshot));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", true)]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("TRACE", false)]
    [InlineData("CONNECT", false)]
    [InlineData("PROPFIND", false)]
    public void IsAllowed_Method_OnlyWhatCloudConnectServes(string method, bool allowed)
    {
        Assert.Equal(allowed, NodeForwarder.IsAllowed(method));
    }

    private ActiveNodeTracker Tracker() => new(
        new HealthCheckRules(2, 2, new HashSet<int> { 200 }, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)),
        "10.0.0.1:8445", "10.0.0.2:8445", _time, new ListLogger<ActiveNodeTracker>());

    private ProbeResult Answered(NodeRole node, int status) => ProbeResult.Answered(node, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), status);

    private ProbeResult Failed(NodeRole node) => ProbeResult.Failed(node, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), "connection refused");
}
