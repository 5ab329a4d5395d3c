using EdgeProxy.Upstreams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Upstreams;

public sealed class ActiveNodeTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ListLogger<ActiveNodeTracker> _log = new();

    [Fact]
    public void ProbeResult_FirstRoundBothHealthy_PublisherIsActive()
    {
        var tracker = Create();

        Round(tracker, 200, 200);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
        Assert.Contains("publisher first", tracker.Snapshot.ActiveReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbeResult_FirstRoundOnlySubscriberHealthy_SubscriberIsActiveAtOnce()
    {
        var tracker = Create(rise: 5);

        Round(tracker, 503, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.Equal(NodeHealth.Unhealthy, tracker.Snapshot.Publisher.Health);
    }

    [Fact]
    public void ProbeResult_FirstRoundNoneHealthy_NoActiveNode()
    {
        var tracker = Create();

        Round(tracker, 503, null);

        Assert.Null(tracker.Snapshot.Active);
        Assert.Contains("no node is healthy", tracker.Snapshot.ActiveReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_BeforeAnyProbe_HasNoActiveNodeAndUnknownNodes()
    {
        var tracker = Create();

        Assert.Null(tracker.Snapshot.Active);
        Assert.All(tracker.Snapshot.Nodes, n => Assert.Equal(NodeHealth.Unknown, n.Health));
        Assert.True(tracker.Snapshot.PublisherReachable);
    }

    [Fact]
    public void ProbeResult_FallFailuresOnActive_SwitchesToHealthyStandby()
    {
        var tracker = Create(rise: 2, fall: 3);
        Round(tracker, 200, 200);

        Round(tracker, 503, 200);
        Round(tracker, 503, 200);
        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
        Round(tracker, 503, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.Equal(NodeHealth.Unhealthy, tracker.Snapshot.Publisher.Health);
        Assert.Equal(3, tracker.Snapshot.Publisher.ConsecutiveFailures);
    }

    [Fact]
    public void ProbeResult_BothHealthyAfterRecovery_KeepsCurrentActive()
    {
        var tracker = Create(rise: 2, fall: 1);
        Round(tracker, 200, 200);
        Round(tracker, null, 200);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);

        for (var i = 0; i < 10; i++)
        {
            Round(tracker, 200, 200);
        }

        Assert.Equal(NodeHealth.Healthy, tracker.Snapshot.Publisher.Health);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.Equal(2, _log.WithEventId(2101).Count());
    }

    [Fact]
    public void ProbeResult_UnreachableNode_NeedsRiseSuccessesBeforeBecomingActive()
    {
        var tracker = Create(rise: 3, fall: 1);
        Round(tracker, 200, null);

        Round(tracker, 503, 200);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 503, 200);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 503, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
    }

    [Fact]
    public void ProbeResult_StandbyRisesBeforeActiveFalls_SwitchesWithoutGap()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        Round(tracker, 200, 200);
        Round(tracker, 503, 200);
        Round(tracker, 503, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        var changes = _log.WithEventId(2101).ToList();
        Assert.Equal(2, changes.Count); // start, then publisher -> subscriber, never through "none"
        Assert.Contains("from publisher to subscriber", changes[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbeResult_AlternatingResultsBelowThresholds_NeverSwitches()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, null);

        // A subscriber that flaps between no answer and 200 is broken, not changing role: RISE keeps it out.
        for (var i = 0; i < 20; i++)
        {
            Round(tracker, i % 2 == 0 ? 503 : 200, i % 2 == 0 ? 200 : null);
        }

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
        Assert.Equal(NodeHealth.Unhealthy, tracker.Snapshot.Subscriber.Health);
        Assert.Single(_log.WithEventId(2101));
        Assert.Equal(2, _log.WithEventId(2102).Count()); // the first verdict of each node only
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(503, false)]
    [InlineData(301, false)]
    [InlineData(null, false)]
    public void ProbeResult_ResponseCodes_DecideWhatIsHealthy(int? code, bool healthy)
    {
        var tracker = Create(codes: [200, 204]);

        Round(tracker, code, 503);

        Assert.Equal(healthy ? NodeHealth.Healthy : NodeHealth.Unhealthy, tracker.Snapshot.Publisher.Health);
        Assert.Equal(healthy ? NodeRole.Publisher : null, tracker.Snapshot.Active);
    }

    [Fact]
    public void ProbeResult_NoActiveNode_FirstNodeToRecoverBecomesActive()
    {
        var tracker = Create(rise: 2, fall: 1);
        Round(tracker, 200, 200);
        Round(tracker, null, null);
        Assert.Null(tracker.Snapshot.Active);

        Round(tracker, null, 200);
        Round(tracker, 200, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
    }

    [Fact]
    public void ProbeResult_BothRecoverTogether_PrefersTheNodeActiveLast()
    {
        var tracker = Create(rise: 2, fall: 1);
        Round(tracker, 503, 200);
        Round(tracker, null, null);
        Assert.Null(tracker.Snapshot.Active);

        Round(tracker, 200, 200);
        Round(tracker, 200, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.Contains("it was active before", tracker.Snapshot.ActiveReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TransportFailure_OnActive_MarksItUnhealthyAtOnce_AndSwitchesToHealthyStandby()
    {
        var tracker = Create(rise: 2, fall: 5);
        Round(tracker, 200, 200);

        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused (ConnectionRefused)");

        var snapshot = tracker.Snapshot;
        Assert.Equal(NodeRole.Subscriber, snapshot.Active);
        Assert.Equal(NodeHealth.Unhealthy, snapshot.Publisher.Health);
        Assert.False(snapshot.Publisher.Reachable);
        Assert.False(snapshot.PublisherReachable);
        Assert.Contains("connection refused", snapshot.ActiveReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TransportFailure_OnActiveWithUnhealthyStandby_LeavesNoActiveNode()
    {
        var tracker = Create();
        Round(tracker, 200, 503);

        tracker.RecordTransportFailure(NodeRole.Publisher, "connection reset by the node (ConnectionReset)");

        Assert.Null(tracker.Snapshot.Active);
    }

    [Fact]
    public void TransportFailure_NodeNeedsRiseGoodProbesToComeBack()
    {
        var tracker = Create(rise: 3, fall: 2);
        Round(tracker, 200, 503);
        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
        _time.Advance(TimeSpan.FromSeconds(1));

        Round(tracker, 200, 503);
        Round(tracker, 200, 503);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 200, 503);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
        Assert.True(tracker.Snapshot.Publisher.Reachable);
    }

    [Fact]
    public void ProbeResult_GoodProbeSentBeforeTransportFailure_IsIgnored()
    {
        var tracker = Create(rise: 1, fall: 1);
        Round(tracker, 200, 503);
        var sentBefore = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(5));
        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
        _time.Advance(TimeSpan.FromMilliseconds(5));

        tracker.RecordProbes([ProbeResult.Answered(NodeRole.Publisher, sentBefore, TimeSpan.FromMilliseconds(9), 200)]);
        Assert.Null(tracker.Snapshot.Active);
        tracker.RecordProbes([ProbeResult.Answered(NodeRole.Publisher, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), 200)]);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
    }

    [Fact]
    public void Snapshot_ActiveSince_IsTheTimeOfTheLastChange()
    {
        var tracker = Create(fall: 1);
        Round(tracker, 200, 200);
        _time.Advance(TimeSpan.FromMinutes(3));
        Round(tracker, 200, 200);
        Assert.Equal(Start, tracker.Snapshot.ActiveSince);

        _time.Advance(TimeSpan.FromSeconds(7));
        Round(tracker, 503, 200);

        Assert.Equal(Start + TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(7), tracker.Snapshot.ActiveSince);
        Assert.Equal(tracker.Snapshot.ActiveSince, tracker.Snapshot.Publisher.HealthSince);
    }

    [Fact]
    public void Changed_IsRaisedWithEveryNewSnapshot_InOrder()
    {
        var tracker = Create(fall: 1);
        var seen = new List<ActiveNodeSnapshot>();
        tracker.Changed += seen.Add;

        Round(tracker, 200, 200);
        Round(tracker, 503, 200);
        tracker.RecordTransportFailure(NodeRole.Subscriber, "connection refused");

        Assert.Equal([NodeRole.Publisher, NodeRole.Subscriber, null], seen.Select(s => s.Active));
        Assert.Equal([1L, 2L, 3L], seen.Select(s => s.Version));
        Assert.Same(tracker.Snapshot, seen[^1]);
    }

    [Fact]
    public void Changed_RaisedOutsideTheLock_AnotherThreadCanUpdateMeanwhile_AndTheOrderHolds()
    {
        var tracker = Create(fall: 1);
        var seen = new List<long>();
        var otherThreadDone = false;
        tracker.Changed += snapshot =>
        {
            seen.Add(snapshot.Version);
            if (snapshot.Version == 1)
            {
                // Would wait forever (here: until the bound) if this handler ran while the tracker held its lock.
                otherThreadDone = Task.Run(() => tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused")).Wait(TimeSpan.FromSeconds(10));
            }
        };

        Round(tracker, 200, 200);

        Assert.True(otherThreadDone);
        Assert.Equal([1L, 2L], seen);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
    }

    [Fact]
    public void Changed_HandlerUpdatesTheTracker_TheNewSnapshotFollowsInOrder()
    {
        var tracker = Create(fall: 1);
        var seen = new List<NodeRole?>();
        tracker.Changed += snapshot =>
        {
            seen.Add(snapshot.Active);
            if (snapshot.Version == 1)
            {
                tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
                // Raised after this handler returns, not inside it.
                Assert.Single(seen);
            }
        };

        Round(tracker, 200, 200);

        Assert.Equal([NodeRole.Publisher, NodeRole.Subscriber], seen);
        Assert.Single(_log.WithEventId(2101), e => e.Message.Contains("from publisher to subscriber", StringComparison.Ordinal));
    }

    [Fact]
    public void ActiveNodeChange_IsLoggedOnce_WithFromToAndReason()
    {
        var tracker = Create(fall: 1);
        Round(tracker, 200, 200);

        Round(tracker, 503, 200);
        Round(tracker, 503, 200);

        var change = _log.WithEventId(2101).Last();
        Assert.Equal(LogLevel.Warning, change.Level);
        Assert.Equal("Active Digital Routing node changed from publisher to subscriber: publisher is unhealthy (probe answered 503 in 3 ms); "
            + "subscriber 10.0.0.2:8445 healthy (probe answered 200 in 3 ms)", change.Message);
        Assert.Equal(LogLevel.Information, _log.WithEventId(2101).First().Level);
        Assert.Equal(2, _log.WithEventId(2101).Count());
    }

    [Fact]
    public void ProbeResult_StandbyAnswer_KeepsNodeReachable_AndFallNoAnswersMakeItUnreachable()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 503, 200);
        Assert.True(tracker.Snapshot.Publisher.Reachable);

        Round(tracker, null, 200);
        Assert.True(tracker.Snapshot.PublisherReachable);
        Round(tracker, null, 200);
        Assert.False(tracker.Snapshot.PublisherReachable);

        Round(tracker, 503, 200);
        Assert.False(tracker.Snapshot.PublisherReachable);
        Round(tracker, 503, 200);
        Assert.True(tracker.Snapshot.PublisherReachable);
    }

    [Fact]
    public void SwitchOver_StandbyBecomesActiveFirst_ThenActiveStepsDown_MovesWithoutAGap()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        Round(tracker, 200, 200); // the subscriber took Digital Routing: one good probe after a standby answer
        Assert.Equal(NodeHealth.Healthy, tracker.Snapshot.Subscriber.Health);
        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active); // sticky while both are healthy
        _time.Advance(TimeSpan.FromMilliseconds(300));
        tracker.RecordStandbyAnswer(NodeRole.Publisher); // then the publisher refuses a request as standby

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.True(tracker.Snapshot.Publisher.Reachable);
        Assert.Contains("standby", tracker.Snapshot.ActiveReason, StringComparison.Ordinal);
        Assert.Equal(["none -> publisher", "publisher -> subscriber"], Changes());
    }

    [Fact]
    public void SwitchOver_ActiveStepsDownFirst_ThenStandbyBecomesActive_OneGoodProbeEndsTheGap()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        tracker.RecordStandbyAnswer(NodeRole.Publisher);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 503, 503);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 503, 200);

        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
        Assert.Contains("Digital Routing moved here", tracker.Snapshot.Subscriber.Detail, StringComparison.Ordinal);
        Assert.Equal(["none -> publisher", "publisher -> none", "none -> subscriber"], Changes());
    }

    [Fact]
    public void SwitchOver_ByProbesAlone_BothOrders_TheNewActiveNodeNeedsOneGoodProbe()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        // Publisher steps down first: FALL probes, then the subscriber's first 200 makes it active.
        Round(tracker, 503, 503);
        Round(tracker, 503, 503);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 503, 200);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);

        // And back, the other order: the publisher takes over first, then the subscriber steps down.
        Round(tracker, 200, 200);
        Assert.Equal(NodeHealth.Healthy, tracker.Snapshot.Publisher.Health);
        Round(tracker, 200, 503);
        Round(tracker, 200, 503);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
        Assert.Equal(["none -> publisher", "publisher -> none", "none -> subscriber", "subscriber -> publisher"], Changes());
    }

    [Fact]
    public void KillAndTakeover_StandbyBecomesActiveAtOnce_TheKilledNodeNeedsRise()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        tracker.RecordTransportFailure(NodeRole.Publisher, "connection refused");
        Assert.Null(tracker.Snapshot.Active);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Round(tracker, null, 200);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);

        // The killed node comes back (even straight as active): it was unreachable, so RISE good probes.
        Round(tracker, 200, 200);
        Assert.Equal(NodeHealth.Unhealthy, tracker.Snapshot.Publisher.Health);
        Round(tracker, 200, 200);
        Assert.Equal(NodeHealth.Healthy, tracker.Snapshot.Publisher.Health);
        Assert.Equal(NodeRole.Subscriber, tracker.Snapshot.Active);
    }

    [Fact]
    public void BothDown_ThenOneBack_NeedsRiseGoodProbes()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        Round(tracker, null, null);
        Round(tracker, null, null);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 200, null);
        Assert.Null(tracker.Snapshot.Active);
        Round(tracker, 200, null);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active);
    }

    [Fact]
    public void ProbeResult_StandbyAnswerThenNoAnswerThenGood_NeedsRise()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);

        Round(tracker, 200, null); // still reachable (one miss < FALL), but its last word was no answer
        Round(tracker, 200, 200);

        Assert.Equal(NodeHealth.Unhealthy, tracker.Snapshot.Subscriber.Health);
    }

    [Fact]
    public void StandbyAnswer_GoodProbeSentBeforeIt_IsIgnored()
    {
        var tracker = Create(rise: 2, fall: 2);
        Round(tracker, 200, 503);
        var sentBefore = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(5));
        tracker.RecordStandbyAnswer(NodeRole.Publisher);

        tracker.RecordProbes([ProbeResult.Answered(NodeRole.Publisher, sentBefore, TimeSpan.FromMilliseconds(9), 200)]);
        Assert.Null(tracker.Snapshot.Active);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        tracker.RecordProbes([ProbeResult.Answered(NodeRole.Publisher, _time.GetUtcNow(), TimeSpan.FromMilliseconds(1), 200)]);

        Assert.Equal(NodeRole.Publisher, tracker.Snapshot.Active); // a standby answer is a role: one fresh good probe
    }

    [Fact]
    public void HealthCheckRules_RecoveryTime_IsRiseIntervals()
    {
        var rules = new HealthCheckRules(3, 2, new HashSet<int> { 200 }, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromMilliseconds(4500), rules.RecoveryTime);
    }

    private List<string> Changes() =>
        [.. _log.WithEventId(2101).Select(e => System.Text.RegularExpressions.Regex.Match(e.Message, "from (\\w+) to (\\w+)")).Select(m => $"{m.Groups[1].Value} -> {m.Groups[2].Value}")];

    private ActiveNodeTracker Create(int rise = 2, int fall = 2, int[]? codes = null) => new(
        new HealthCheckRules(rise, fall, new HashSet<int>(codes ?? [200]), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)),
        "10.0.0.1:8445", "10.0.0.2:8445", _time, _log);

    // One probe round; null means the probe got no answer (refused).
    private void Round(ActiveNodeTracker tracker, int? publisher, int? subscriber)
    {
        var now = _time.GetUtcNow();
        tracker.RecordProbes(
        [
            Probe(NodeRole.Publisher, publisher, now),
            Probe(NodeRole.Subscriber, subscriber, now),
        ]);
    }

    private static ProbeResult Probe(NodeRole node, int? code, DateTimeOffset sentAt) => code is { } status
        ? ProbeResult.Answered(node, sentAt, TimeSpan.FromMilliseconds(3), status)
        : ProbeResult.Failed(node, sentAt, TimeSpan.FromMilliseconds(1), "connection refused (ConnectionRefused)");
}
