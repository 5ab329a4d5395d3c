using System.Globalization;
using Prometheus;

namespace EdgeProxy.Operations;

/// <summary>
/// EdgeProxy's Prometheus metrics, in a registry of its own (one per running proxy, so tests that run
/// several proxies in one process do not mix them), plus the per-connection instruments of Kestrel's and
/// HttpClient's own .NET meters, exported through prometheus-net's meter adapter.
/// </summary>
public sealed class EdgeMetrics : IDisposable
{
    private static readonly string[] ForeignMeters =
    [
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
    ];

    // Recorded once or twice per request or stream: through the meter adapter they cost more CPU than the
    // rest of the metrics together (a tenth of a proxied request). The request duration and in-flight
    // count are EdgeProxy's own instead; node time is edgeproxy_upstream_duration_seconds; node connections are
    // UpstreamConnectionGauge.
    private static readonly string[] PerRequestInstruments =
    [
        "kestrel.queued_requests",
        "http.client.request.duration",
        "http.client.request.time_in_queue",
        "http.client.active_requests",
        UpstreamConnectionGauge.Instrument,
    ];

    // prometheus-net finds a labelled child by hashing its label values on every call; the three a request
    // records are kept here by route slot and status instead (a race only creates the same child twice).
    private const int StatusSlots = 600;
    private readonly Counter.Child?[]?[] _requests = new Counter.Child?[]?[RouteSlot.Count];
    private readonly Histogram.Child?[] _durations = new Histogram.Child?[RouteSlot.Count];
    private readonly Histogram.Child?[]?[] _upstream = new Histogram.Child?[]?[RouteSlot.Count];
    private readonly IDisposable _meterAdapter;
    private readonly UpstreamConnectionGauge _upstreamConnections;

    public EdgeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("edgeproxy_requests_total", "Requests answered, by route and status.", ["route", "status"]);
        UpstreamDuration = factory.CreateHistogram("edgeproxy_upstream_duration_seconds", "Time from sending to a node until its response headers, by route and node.",
            ["route", "node"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        Refusals = factory.CreateCounter("edgeproxy_refusals_total", "Requests or connections refused at the edge, by reason.", ["reason"]);
        DryRunRefusals = factory.CreateCounter("edgeproxy_dry_run_refusals_total",
            "Requests or connections a limit would have refused but let through (NGX_LIMIT_REQ_DRY_RUN, NGX_LIMIT_CONN_DRY_RUN), by reason.", ["reason"]);
        ProtocolRejections = factory.CreateCounter("edgeproxy_protocol_rejections_total",
            "Requests Kestrel rejected before EdgeProxy saw them (malformed framing, limits, timeouts, HTTP/2 protocol errors), by reason.", ["reason"]);
        UpstreamFailures = factory.CreateCounter("edgeproxy_upstream_failures_total", "Forwarding failures answered by EdgeProxy (502/503/504), by node and status.", ["node", "status"]);
        Reloads = factory.CreateCounter("edgeproxy_config_reloads_total", "Configuration reload attempts, by result.", ["result"]);
        ActiveNode = factory.CreateGauge("edgeproxy_active_node", "1 for the node Digital Routing traffic goes to, 0 for the other.", ["node"]);
        NodeHealthy = factory.CreateGauge("edgeproxy_node_healthy", "1 when the node is healthy for Digital Routing, 0 otherwise.", ["node"]);
        ProbeResults = factory.CreateCounter("edgeproxy_probe_results_total", "Health probes by node and result (good, bad_status, no_answer).", ["node", "result"]);
        NodeReachable = factory.CreateGauge("edgeproxy_node_reachable", "1 while the node is not known to be unreachable (answers HTTP at all; DataConn needs only this), 0 otherwise.", ["node"]);
        ActiveNodeChanges = factory.CreateCounter("edgeproxy_active_node_changes_total", "Changes of the active Digital Routing node (to another node or to none), the first choice at start left out.");
        NodeHealthChanges = factory.CreateCounter("edgeproxy_node_health_changes_total", "Changes of a node's Digital Routing health between healthy and unhealthy, by node.", ["node"]);
        Ready = factory.CreateGauge("edgeproxy_ready", "1 while /readyz answers 200 (a Digital Routing node is active), 0 while it answers 503.");
        CertificateExpiry = factory.CreateGauge("edgeproxy_certificate_expiry_timestamp_seconds",
            "NotAfter of each certificate in use, in Unix seconds: server, upstream_client, and each CA of the trust bundle.", ["certificate", "subject"]);
        ConfigInfo = factory.CreateGauge("edgeproxy_config_info", "The active configuration version (value 1).", ["version"]);
        RequestDuration = factory.CreateHistogram("edgeproxy_request_duration_seconds", "Time from a request's arrival until its response was sent, by route.",
            ["route"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        InFlight = factory.CreateGauge("edgeproxy_requests_in_flight", "Requests being answered now.");
        // Every series an alert takes increase() of exists from start at 0: a series born at 1 has no earlier sample,
        // so its first increment would never show as an increase (the first rejected reload would not alert).
        foreach (var result in Enum.GetNames<Configuration.ReloadStatus>())
        {
            Reloads.WithLabels(result.ToLowerInvariant());
        }

        foreach (var reason in Enum.GetValues<Admission.RefusalReason>().Where(r => r != Admission.RefusalReason.None))
        {
            Refusals.WithLabels(reason.ToString());
        }

        Refusals.WithLabels(Edge.ConnectionLimit.RefusalLabel);
        _upstreamConnections = new UpstreamConnectionGauge(Registry, factory);
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = factory,
            InstrumentFilterPredicate = instrument => ForeignMeters.Contains(instrument.Meter.Name) && !PerRequestInstruments.Contains(instrument.Name),
        });
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram UpstreamDuration { get; }

    public Counter Refusals { get; }

    /// <summary>What a limit in dry-run mode would have refused; a counter of its own so refusals stay what was refused.</summary>
    public Counter DryRunRefusals { get; }

    public Counter ProtocolRejections { get; }

    public Counter UpstreamFailures { get; }

    public Counter Reloads { get; }

    public Gauge ConfigInfo { get; }

    public Gauge ActiveNode { get; }

    public Gauge NodeHealthy { get; }

    public Counter ProbeResults { get; }

    public Gauge NodeReachable { get; }

    public Counter ActiveNodeChanges { get; }

    public Counter NodeHealthChanges { get; }

    public Gauge Ready { get; }

    public Gauge CertificateExpiry { get; }

    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    /// <summary>Counts an answered request and its duration (and its node time, when a node answered).</summary>
    public void RecordRequest(RouteSlot route, int status, double seconds, Upstreams.NodeRole? node, double? nodeSeconds)
    {
        var byStatus = _requests[route.Index] ??= new Counter.Child?[StatusSlots];
        var counter = status is >= 0 and < StatusSlots ? byStatus[status] ??= RequestsWith(status) : RequestsWith(status);
        counter.Inc();
        (_durations[route.Index] ??= RequestDuration.WithLabels(route.Label)).Observe(seconds);
        if (node is { } role && nodeSeconds is { } upstream)
        {
            var byNode = _upstream[route.Index] ??= new Histogram.Child?[2];
            (byNode[(int)role] ??= UpstreamDuration.WithLabels(route.Label, Upstreams.NodeRoles.Name(role))).Observe(upstream);
        }

        Counter.Child RequestsWith(int code) => Requests.WithLabels(route.Label, code.ToString(CultureInfo.InvariantCulture));
    }

    public void SetConfigVersion(string version)
    {
        foreach (var labels in ConfigInfo.GetAllLabelValues().ToList())
        {
            ConfigInfo.RemoveLabelled(labels);
        }

        ConfigInfo.WithLabels(version).Set(1);
    }

    public void Dispose()
    {
        _meterAdapter.Dispose();
        _upstreamConnections.Dispose();
    }
}

/// <summary>A request's route as a metrics label and a small index (the routes plus "none" for requests never classified).</summary>
public readonly record struct RouteSlot(int Index, string Label)
{
    public const int Count = 6;

    public static readonly RouteSlot None = new(Count - 1, "none");
}
