namespace EdgeProxy.Upstreams;

/// <summary>Active-node and failover log events; ids 2100-2199.</summary>
internal static partial class FailoverLog
{
    [LoggerMessage(EventId = 2101, Message = "Active Digital Routing node changed from {From} to {To}: {Reason}")]
    public static partial void ActiveNodeChanged(ILogger logger, LogLevel level, string from, string to, string reason);

    [LoggerMessage(EventId = 2102, Message = "Node {Node} ({Address}) is now {Health} and {Reachability}: {Detail}")]
    public static partial void NodeHealthChanged(ILogger logger, LogLevel level, string node, string address, string health, string reachability, string detail);

    [LoggerMessage(2103, LogLevel.Warning, "{Method} {Path} failed on {From} ({Reason}); retried once on {To} (tracking id {TrackingId})")]
    public static partial void RetriedOnOtherNode(ILogger logger, string method, string path, string from, string reason, string to, string? trackingId);

    [LoggerMessage(2104, LogLevel.Debug, "{Method} {Path} answered 503 without contacting a node: {Reason} (tracking id {TrackingId})")]
    public static partial void NoNodeAvailable(ILogger logger, string method, string path, string reason, string? trackingId);

    [LoggerMessage(2105, LogLevel.Warning, "{Method} {Path} could not reach {Node} ({Reason}) and no other node may take it; answered 503 (tracking id {TrackingId})")]
    public static partial void FailedWithNoOtherNode(ILogger logger, string method, string path, string node, string reason, string? trackingId);

    [LoggerMessage(2106, LogLevel.Information, "Health-check settings reloaded: rise {Rise}, fall {Fall}, codes {Codes}, interval {IntervalMs} ms, timeout {TimeoutMs} ms")]
    public static partial void HealthCheckRulesChanged(ILogger logger, int rise, int fall, string codes, double intervalMs, double timeoutMs);
}
