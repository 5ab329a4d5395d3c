using Microsoft.Extensions.Logging;

namespace EdgeProxy.Upstreams;

/// <summary>Upstream log events; ids 2000-2099.</summary>
internal static partial class UpstreamLog
{
    [LoggerMessage(2001, LogLevel.Error, "Node certificate rejected for {Node}: {Reason}. The connection was closed; nothing was sent.")]
    public static partial void NodeCertificateRejected(ILogger logger, string node, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Forwarding to {Node} failed ({Error}): {Reason}; answered {Status} (tracking id {TrackingId})")]
    public static partial void ForwardingFailed(ILogger logger, string node, string error, string reason, int status, string? trackingId, Exception? exception);
}
