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
    // count are EdgeProxy's own instead; node time is edgeproxy_upstream_duration_seconds.
    private static readonly string[] PerRequestInstruments =
    [
        "kestrel.queued_requests",
        "http.client.request.duration",
        "http.client.request.time_in_queue",
        "http.client.active_requests",
    ];

    private readonly IDisposable _meterAdapter;

    public EdgeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("edgeproxy_requests_total", "Requests answered, by route and status.", ["route", "status"]);
        UpstreamDuration = factory.CreateHistogram("edgeproxy_upstream_duration_seconds", "Time from sending to a node until its response headers, by route and node.",
            ["route", "node"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        Refusals = factory.CreateCounter("edgeproxy_refusals_total", "Requests or connections refused at the edge, by reason.", ["reason"]);
        UpstreamFailures = factory.CreateCounter("edgeproxy_upstream_failures_total", "Forwarding failures answered by EdgeProxy (502/503/504), by node and status.", ["node", "status"]);
        Reloads = factory.CreateCounter("edgeproxy_config_reloads_total", "Configuration reload attempts, by result.", ["result"]);
        ActiveNode = factory.CreateGauge("edgeproxy_active_node", "1 for the node Digital Routing traffic goes to, 0 for the other.", ["node"]);
        NodeHealthy = factory.CreateGauge("edgeproxy_node_healthy", "1 when the node is healthy for Digital Routing, 0 otherwise.", ["node"]);
        ProbeResults = factory.CreateCounter("edgeproxy_probe_results_total", "Health probes by node and result (good, bad_status, no_answer).", ["node", "result"]);
        ConfigInfo = factory.CreateGauge("edgeproxy_config_info", "The active configuration version (value 1).", ["version"]);
        RequestDuration = factory.CreateHistogram("edgeproxy_request_duration_seconds", "Time from a request's arrival until its response was sent, by route.",
            ["route"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        InFlight = factory.CreateGauge("edgeproxy_requests_in_flight", "Requests being answered now.");
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

    public Counter UpstreamFailures { get; }

    public Counter Reloads { get; }

    public Gauge ConfigInfo { get; }

    public Gauge ActiveNode { get; }

    public Gauge NodeHealthy { get; }

    public Counter ProbeResults { get; }

    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    public void SetConfigVersion(string version)
    {
        foreach (var labels in ConfigInfo.GetAllLabelValues().ToList())
        {
            ConfigInfo.RemoveLabelled(labels);
        }

        ConfigInfo.WithLabels(version).Set(1);
    }

    public void Dispose() => _meterAdapter.Dispose();
}
