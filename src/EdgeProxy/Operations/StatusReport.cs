using System.Reflection;
using System.Text.Json.Serialization;
using EdgeProxy.Configuration;
using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>The <c>/reverseproxy_status</c> document: what an operator needs to answer "is it working, which node is active".</summary>
public sealed record StatusReport(
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    ConfigurationStatus Configuration,
    ActiveStatus Active,
    IReadOnlyList<NodeReport> Nodes,
    CounterReport Counters)
{
    public static readonly string ProductVersion =
        typeof(StatusReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static StatusReport Create(ProxyState state, ActiveNodeTracker tracker, EdgeMetrics metrics, DateTimeOffset startedAt, DateTimeOffset now)
    {
        var configuration = state.Current;
        var snapshot = tracker.Snapshot;
        return new StatusReport(
            ProductVersion,
            startedAt,
            Math.Round((now - startedAt).TotalSeconds, 1),
            new ConfigurationStatus(configuration.Version, configuration.ActivatedAt, [.. configuration.Loaded.Env.FilesRead]),
            new ActiveStatus(snapshot.Active?.Name(), snapshot.ActiveSince, snapshot.ActiveReason),
            [.. snapshot.Nodes.Select(n => NodeReport.From(n, snapshot.Active == n.Role))],
            CounterReport.From(metrics));
    }
}

public sealed record ConfigurationStatus(string Version, DateTimeOffset ActiveSince, IReadOnlyList<string> Files);

public sealed record ActiveStatus(string? Node, DateTimeOffset Since, string Reason);

public sealed record NodeReport(string Role, string Address, bool Active, string Health, DateTimeOffset? HealthSince, bool? Reachable, string Detail,
    ProbeReport? LastProbe)
{
    public static NodeReport From(NodeStatus node, bool active) => new(node.Role.Name(), node.Address, active, node.Health.ToString().ToLowerInvariant(),
        node.HealthSince, node.Reachable, node.Detail,
        node.LastProbe is { } probe ? new ProbeReport(probe.StartedAt, probe.StatusCode, probe.Latency is { } l ? Math.Round(l.TotalMilliseconds, 1) : null, probe.Error) : null);
}

public sealed record ProbeReport(DateTimeOffset At, int? Status, double? LatencyMs, string? Error);

public sealed record CounterReport(IReadOnlyDictionary<string, double> Requests, IReadOnlyDictionary<string, double> Refusals,
    IReadOnlyDictionary<string, double> UpstreamFailures, IReadOnlyDictionary<string, double> Reloads)
{
    public static CounterReport From(EdgeMetrics metrics) => new(
        Totals(metrics.Requests, labels => $"{labels[0]} {labels[1]}"),
        Totals(metrics.Refusals, labels => labels[0]),
        Totals(metrics.UpstreamFailures, labels => $"{labels[0]} {labels[1]}"),
        Totals(metrics.Reloads, labels => labels[0]));

    private static SortedDictionary<string, double> Totals(Prometheus.Counter counter, Func<string[], string> key)
    {
        var totals = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var labels in counter.GetAllLabelValues())
        {
            totals[key(labels)] = counter.WithLabels(labels).Value;
        }

        return totals;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
