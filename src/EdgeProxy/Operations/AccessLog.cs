namespace EdgeProxy.Operations;

/// <summary>The access log: one event per request on the public listener, category EdgeProxy.Access, id 4001.</summary>
internal static partial class AccessLog
{
    public const string Category = "EdgeProxy.Access";

    [LoggerMessage(4001, LogLevel.Information,
        "{Method} {Path} {Status} {DurationMs:0.0} ms client {Client} peer {Peer} route {Route} node {Node} upstream {UpstreamStatus} " +
        "connect {UpstreamConnectMs:0.0} ms headers {UpstreamHeaderMs:0.0} ms in {RequestBytes} B out {ResponseBytes} B {Protocol} tracking {TrackingId}")]
    public static partial void Request(ILogger logger, string method, string path, int status, double durationMs, string client, string peer, string route,
        string node, string upstreamStatus, double upstreamConnectMs, double upstreamHeaderMs, long requestBytes, long responseBytes, string protocol, string trackingId);
}
