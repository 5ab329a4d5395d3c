namespace EdgeProxy.Upstreams;

/// <summary>When a probe was sent and how long it took.</summary>
public sealed record ProbeTiming(DateTimeOffset StartedAt, TimeSpan Elapsed);
