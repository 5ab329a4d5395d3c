using System.Net;
using System.Net.Http;
using EdgeProxy.Upstreams;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Tests.Upstreams;

public sealed class HealthPolicyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly DestinationState _publisher = new("publisher");
    private readonly DestinationState _subscriber = new("subscriber");

    [Fact]
    public void ProbingCompleted_AnswerAndFailure_RecordOneRoundWithTimings()
    {
        var tracker = Tracker();
        var policy = new RiseFallHealthPolicy(tracker, _time);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://10.0.0.1:8445/drapi/v1/ping");
        request.Options.Set(ProbeTimingHandler.Timing, new ProbeTiming(_time.GetUtcNow(), TimeSpan.FromMilliseconds(12)));
        using var answer = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        var refused = new NodeProbeException(new ProbeTiming(_time.GetUtcNow(), TimeSpan.FromMilliseconds(2)),
            new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));

        policy.ProbingCompleted(new ClusterState("dr"), [new DestinationProbingResult(_publisher, answer, null), new DestinationProbingResult(_subscriber, null, refused)]);

        var snapshot = tracker.Snapshot;
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(NodeRole.Publisher, snapshot.Active);
        Assert.Equal(TimeSpan.FromMilliseconds(12), snapshot.Publisher.LastProbe?.Latency);
        Assert.Equal("connection refused (ConnectionRefused)", snapshot.Subscriber.LastProbe?.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(2), snapshot.Subscriber.LastProbe?.Latency);
        Assert.False(snapshot.Subscriber.Reachable);
    }

    [Fact]
    public void ActiveNodePolicy_NoHealthyNode_ReturnsNoDestination_NotPanicMode()
    {
        var tracker = Tracker();
        tracker.RecordProbes([Failed(NodeRole.Publisher), Failed(NodeRole.Subscriber)]);
        var policy = new ActiveNodeDestinationsPolicy(tracker);

        Assert.Empty(policy.GetAvailalableDestinations(new ClusterConfig { ClusterId = "dr" }, [_publisher, _subscriber]));
    }

    [Fact]
    public void ActiveNodePolicy_BothHealthy_ReturnsOnlyTheActiveNode()
    {
        var tracker = Tracker();
        tracker.RecordProbes([Answered(NodeRole.Publisher, 503), Answered(NodeRole.Subscriber, 200)]);
        tracker.RecordProbes([Answered(NodeRole.Publisher, 200), Answered(NodeRole.Subscriber, 200)]);
        var policy = new ActiveNodeDestinationsPolicy(tracker);

        // DestinationState is itself a one-item list, so compare by reference (xunit would recurse into it).
        Assert.Same(_subscriber, Assert.Single(policy.GetAvailalableDestinations(new ClusterConfig { ClusterId = "dr" }, [_publisher, _subscriber])));
    }

    [Fact]
    public void PublisherOnlyPolicy_StandbyPublisher_StillCarriesDataConn_UnreachablePublisherDoesNot()
    {
        var tracker = Tracker();
        var policy = new PublisherOnlyDestinationsPolicy(tracker);
        var config = new ClusterConfig { ClusterId = "dataconn" };

        tracker.RecordProbes([Answered(NodeRole.Publisher, 503), Answered(NodeRole.Subscriber, 200)]);
        Assert.Same(_publisher, Assert.Single(policy.GetAvailalableDestinations(config, [_publisher])));

        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
        Assert.Empty(policy.GetAvailalableDestinations(config, [_publisher]));
    }

    private ActiveNodeTracker Tracker() => new(
        new HealthCheckRules(2, 2, new HashSet<int> { 200 }, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)),
        "10.0.0.1:8445", "10.0.0.2:8445", _time, new ListLogger<ActiveNodeTracker>());

    private ProbeResult Answered(NodeRole node, int status) => ProbeResult.Answered(node, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), status);

    private ProbeResult Failed(NodeRole node) => ProbeResult.Failed(node, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), "connection refused");
}
