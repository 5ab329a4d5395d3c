using System.Diagnostics.Metrics;
using Prometheus;

namespace EdgeProxy.Operations;

/// <summary>
/// Connections to the nodes open now, by state (active: carrying a request; idle: pooled), from HttpClient's
/// <c>http.client.open_connections</c>. Hand-written because that instrument moves a connection between
/// idle and active on every request, and through prometheus-net's meter adapter those two updates cost
/// more than the rest of a request's metrics; here they are two interlocked additions. Not by node:
/// the instrument names the Host header EdgeProxy sends (its own external name), not the node.
/// </summary>
public sealed class UpstreamConnectionGauge : IDisposable
{
    public const string Instrument = "http.client.open_connections";

    private readonly MeterListener _listener = new();
    private readonly Gauge _gauge;
    private long _active;
    private long _idle;

    public UpstreamConnectionGauge(CollectorRegistry registry, MetricFactory factory)
    {
        _gauge = factory.CreateGauge("edgeproxy_upstream_connections", "Connections to the nodes open now, by state (active, idle).", ["state"]);
        registry.AddBeforeCollectCallback(() =>
        {
            _gauge.WithLabels("active").Set(Math.Max(0, Interlocked.Read(ref _active)));
            _gauge.WithLabels("idle").Set(Math.Max(0, Interlocked.Read(ref _idle)));
        });
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long delta, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var (key, value) in tags)
        {
            if (key == "http.connection.state")
            {
                Interlocked.Add(ref value as string == "active" ? ref _active : ref _idle, delta);
                return;
            }
        }
    }
}
