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

    [LoggerMessage(2107, LogLevel.Information, "{Method} {Path} answered 503 by {Node} (standby: not processed); sent on to {To} after {WaitedMs} ms (tracking id {TrackingId})")]
    public static partial void StandbyAnswerReplayed(ILogger logger, string method, string path, string node, string to, double waitedMs, string? trackingId);

    [LoggerMessage(2108, LogLevel.Warning, "{Method} {Path} answered 503 by {Node} (standby) and no other node became active within {WaitMs} ms; answered 503 (tracking id {TrackingId})")]
    public static partial void StandbyAnswerNoOtherNode(ILogger logger, string method, string path, string node, double waitMs, string? trackingId);

    [LoggerMessage(2109, LogLevel.Debug, "{Method} {Path} waited {WaitedMs} ms for an active node and got {Node} (tracking id {TrackingId})")]
    public static partial void WaitedForActiveNode(ILogger logger, string method, string path, double waitedMs, string node, string? trackingId);

    [LoggerMessage(2110, LogLevel.Warning, "{MaxWaiting} requests already wait for an active node; further ones get 503 at once")]
    public static partial void WaitCapReached(ILogger logger, int maxWaiting);

    [LoggerMessage(2106, LogLevel.Information, "Health-check settings reloaded: rise {Rise}, fall {Fall}, codes {Codes}, interval {IntervalMs} ms, timeout {TimeoutMs} ms")]
    public static partial void HealthCheckRulesChanged(ILogger logger, int rise, int fall, string codes, double intervalMs, double timeoutMs);
}
