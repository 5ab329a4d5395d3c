namespace EdgeProxy.Admission;

/// <summary>
/// The blocking log: one event per refusal, under its own category so it can be routed apart from
/// the application log. Ids 3000-3099.
/// </summary>
internal static partial class AdmissionLog
{
    public const string Category = "EdgeProxy.Blocking";

    [LoggerMessage(3001, LogLevel.Warning, "Refused {Method} {Path} from peer {Peer}, client {Client}, claimed {Claimed}: {Reason} ({Status}, tracking id {TrackingId})")]
    public static partial void Refused(ILogger logger, string method, string path, string peer, string client, string claimed, RefusalReason reason, int status, string trackingId);

    [LoggerMessage(3002, LogLevel.Warning, "PROXY protocol: closed a connection from peer {Peer} on port {Port}: {Reason}")]
    public static partial void ProxyHeaderRefused(ILogger logger, string peer, string port, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "PROXY protocol: suppressed {Suppressed} closed connections in the last {Seconds:0.0} s (at most {PerSecond} lines a second)")]
    public static partial void ProxyHeaderRefusalsSuppressed(ILogger logger, long suppressed, double seconds, int perSecond);
}
