namespace EdgeProxy.Upstreams;

/// <summary>
/// What EdgeProxy knows about one node: its Digital Routing health with the Cisco RISE/FALL counters, whether
/// it answers at all (DataConn needs only that), and the last probe. Immutable; transitions return a new value.
/// </summary>
public sealed record NodeStatus
{
    public required NodeRole Role { get; init; }

    /// <summary>The node address, <c>host:port</c>.</summary>
    public required string Address { get; init; }

    /// <summary>Digital Routing health: may this node receive task traffic.</summary>
    public NodeHealth Health { get; init; }

    /// <summary>Since when <see cref="Health"/> holds; null while unknown.</summary>
    public DateTimeOffset? HealthSince { get; init; }

    /// <summary>Why the node has its health, e.g. "probe answered 503 in 2 ms" or "connection refused (request)".</summary>
    public string Detail { get; init; } = "not probed yet";

    /// <summary>Whether the node answers HTTP over verified mutual TLS at all (any status); null while unknown.</summary>
    public bool? Reachable { get; init; }

    public int ConsecutiveSuccesses { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int ConsecutiveAnswers { get; init; }
    public int ConsecutiveNoAnswers { get; init; }

    public ProbeResult? LastProbe { get; init; }

    /// <summary>The last transport failure seen on real traffic, if any.</summary>
    public DateTimeOffset? LastTransportFailureAt { get; init; }

    /// <summary>The last 503 the node answered to a forwarded Digital Routing request (a standby answer), if any.</summary>
    public DateTimeOffset? LastStandbyAnswerAt { get; init; }

    /// <summary>
    /// True while the node's last word was a status outside the good codes (a probe answered 503, or a standby answer
    /// to traffic): it runs, it is just not active. Such a node that answers a good probe has changed role.
    /// </summary>
    public bool AnsweredAsStandby { get; init; }

    public static NodeStatus Initial(NodeRole role, string address) => new() { Role = role, Address = address };

    /// <summary>
    /// Counts a probe. The first result decides at once (nothing to be sticky about yet, and a restart should
    /// not hold traffic for RISE intervals); afterwards RISE good or FALL failed probes in a row flip the health.
    /// A reachable node whose last answer was a standby one and that now answers a good probe has changed role
    /// (Digital Routing moved to it): healthy at once. RISE guards against a broken node flapping back, and a node
    /// that kept answering did not break; one that was unreachable still needs RISE good probes.
    /// </summary>
    public NodeStatus WithProbe(ProbeResult probe, HealthCheckRules rules, DateTimeOffset now)
    {
        var good = probe.StatusCode is { } code && rules.Codes.Contains(code);
        if (good && (probe.StartedAt < LastTransportFailureAt || probe.StartedAt < LastStandbyAnswerAt))
        {
            // Sent before traffic saw the node fail or refuse as standby: it says nothing about the node now.
            return this;
        }

        var answered = probe.StatusCode is not null;
        var successes = good ? ConsecutiveSuccesses + 1 : 0;
        var failures = good ? 0 : ConsecutiveFailures + 1;
        var answers = answered ? ConsecutiveAnswers + 1 : 0;
        var noAnswers = answered ? 0 : ConsecutiveNoAnswers + 1;

        var roleChange = good && IsStandby;
        var health = Health switch
        {
            NodeHealth.Unknown => good ? NodeHealth.Healthy : NodeHealth.Unhealthy,
            NodeHealth.Healthy => failures >= rules.Fall ? NodeHealth.Unhealthy : NodeHealth.Healthy,
            _ => successes >= rules.Rise || roleChange ? NodeHealth.Healthy : NodeHealth.Unhealthy,
        };
        var reachable = Reachable switch
        {
            null => answered,
            true => noAnswers < rules.Fall,
            false => answers >= rules.Rise,
        };

        return this with
        {
            Health = health,
            HealthSince = health == Health ? HealthSince : now,
            // A probe that disagrees with the health (fewer than RISE/FALL so far) leaves the reason as it was.
            Detail = good == (health == NodeHealth.Healthy)
                ? probe.Describe() + (roleChange && Health != NodeHealth.Healthy ? " after answering as standby: Digital Routing moved here" : "")
                : Detail,
            Reachable = reachable,
            AnsweredAsStandby = answered && !good,
            ConsecutiveSuccesses = successes,
            ConsecutiveFailures = failures,
            ConsecutiveAnswers = answers,
            ConsecutiveNoAnswers = noAnswers,
            LastProbe = probe,
        };
    }

    /// <summary>A transport failure on real traffic: unhealthy and unreachable at once, RISE good probes to come back.</summary>
    public NodeStatus WithTransportFailure(string reason, HealthCheckRules rules, DateTimeOffset now) => this with
    {
        Health = NodeHealth.Unhealthy,
        HealthSince = Health == NodeHealth.Unhealthy ? HealthSince : now,
        Detail = $"{reason} (on a forwarded request)",
        Reachable = false,
        ConsecutiveSuccesses = 0,
        ConsecutiveFailures = Math.Max(ConsecutiveFailures, rules.Fall),
        ConsecutiveAnswers = 0,
        ConsecutiveNoAnswers = Math.Max(ConsecutiveNoAnswers, rules.Fall),
        LastTransportFailureAt = now,
        AnsweredAsStandby = false,
    };

    /// <summary>
    /// The node answered 503 to a forwarded Digital Routing request: it runs but is not active (a standby refuses before
    /// doing anything). Unhealthy at once, still reachable, and one good probe makes it healthy again (a role, not a failure).
    /// </summary>
    public NodeStatus WithStandbyAnswer(HealthCheckRules rules, DateTimeOffset now) => this with
    {
        Health = NodeHealth.Unhealthy,
        HealthSince = Health == NodeHealth.Unhealthy ? HealthSince : now,
        Detail = Health == NodeHealth.Unhealthy ? Detail : "answered 503 to a forwarded Digital Routing request (standby)",
        ConsecutiveSuccesses = 0,
        ConsecutiveFailures = Math.Max(ConsecutiveFailures, rules.Fall),
        AnsweredAsStandby = Reachable != false,
        LastStandbyAnswerAt = now,
    };

    /// <summary>True when a good probe now is a role change, not a recovery: reachable, and its last answer was a standby one.</summary>
    public bool IsStandby => AnsweredAsStandby && Reachable == true;

    /// <summary>For logs and 503 bodies, e.g. "publisher 127.0.0.11:8445 unhealthy (probe answered 503 in 2 ms)".</summary>
    public string Describe() => $"{Role.Name()} {Address} {Health.ToString().ToLowerInvariant()} ({Detail})";
}
