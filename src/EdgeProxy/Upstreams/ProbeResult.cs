namespace EdgeProxy.Upstreams;

/// <summary>One health probe of one node, as the active health check saw it.</summary>
/// <param name="Node">The probed node.</param>
/// <param name="StartedAt">When the probe was sent.</param>
/// <param name="Latency">Time from sending to the answer or the failure; null when unmeasured.</param>
/// <param name="StatusCode">The HTTP status the node answered; null when no answer came (transport failure, timeout).</param>
/// <param name="Error">Why no answer came; null when one did.</param>
public sealed record ProbeResult(NodeRole Node, DateTimeOffset StartedAt, TimeSpan? Latency, int? StatusCode, string? Error)
{
    public static ProbeResult Answered(NodeRole node, DateTimeOffset startedAt, TimeSpan? latency, int statusCode) =>
        new(node, startedAt, latency, statusCode, null);

    public static ProbeResult Failed(NodeRole node, DateTimeOffset startedAt, TimeSpan? latency, string error) =>
        new(node, startedAt, latency, null, error);

    /// <summary>Short text for logs and the status page, e.g. "answered 503 in 4 ms" or "connection refused after 1 ms".</summary>
    public string Describe()
    {
        var took = Latency is { } latency ? $" {(StatusCode is null ? "after" : "in")} {latency.TotalMilliseconds:0} ms" : "";
        return StatusCode is { } code ? $"probe answered {code}{took}" : $"probe failed: {Error}{took}";
    }
}
