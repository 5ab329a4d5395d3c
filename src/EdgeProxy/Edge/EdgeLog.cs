namespace EdgeProxy.Edge;

/// <summary>Edge-protection events (limits); ids 3100-3199, in the blocking log category.</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(3101, LogLevel.Warning, "Rate limit: refused {Method} {Path} from client {Client} (peer {Peer}) on route {Route}: {Status} (tracking id {TrackingId})")]
    public static partial void RateLimited(ILogger logger, string method, string path, string client, string peer, EdgeRoute route, int status, string trackingId);

    [LoggerMessage(3102, LogLevel.Warning, "Connection limit: refused a connection from client {Client} (peer {Peer}): {Open} connections open, limit {Limit}")]
    public static partial void ConnectionRefused(ILogger logger, string client, string peer, int open, int limit);

    [LoggerMessage(3103, LogLevel.Warning, "HTTP/2 stream limit: refused a stream from client {Client} with {Status}: {Open} streams open, limit {Limit}")]
    public static partial void StreamRefused(ILogger logger, string client, int status, int open, int limit);

    [LoggerMessage(3106, LogLevel.Warning, "Rate limit (dry run): would refuse {Method} {Path} from client {Client} (peer {Peer}) on route {Route} with {Status}; forwarded (tracking id {TrackingId})")]
    public static partial void RateLimitDryRun(ILogger logger, string method, string path, string client, string peer, EdgeRoute route, int status, string trackingId);

    [LoggerMessage(3107, LogLevel.Warning, "Connection limit (dry run): would refuse a connection from {Peer}: {Open} connections open, limit {Limit}; accepted")]
    public static partial void ConnectionLimitDryRun(ILogger logger, string peer, int open, int limit);

    [LoggerMessage(3108, LogLevel.Warning, "HTTP/2 stream limit (dry run): would refuse a stream from client {Client} with {Status}: {Open} streams open, limit {Limit}; forwarded")]
    public static partial void StreamLimitDryRun(ILogger logger, string client, int status, int open, int limit);

    [LoggerMessage(3104, LogLevel.Warning, "Protocol rejection: Kestrel refused a request from {Peer} on port {Port}: {Reason} (status {Status}, {Kind})")]
    public static partial void ProtocolRejected(ILogger logger, string peer, string port, string reason, string status, string kind);

    [LoggerMessage(3105, LogLevel.Warning, "Protocol rejection: suppressed {Suppressed} rejections in the last {Seconds:0.0} s (at most {PerSecond} lines a second)")]
    public static partial void ProtocolRejectionsSuppressed(ILogger logger, long suppressed, double seconds, int perSecond);
}
