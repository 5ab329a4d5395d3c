namespace EdgeProxy.Upstreams;

/// <summary>A failed health probe with its timing; the original failure is the inner exception.</summary>
public sealed class NodeProbeException(ProbeTiming timing, Exception inner)
    : Exception($"health probe failed after {timing.Elapsed.TotalMilliseconds:0} ms: {inner.Message}", inner)
{
    public ProbeTiming Timing { get; } = timing;
}
