using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using EdgeProxy.Operations;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Edge;

/// <summary>
/// Requests Kestrel rejects before any middleware runs (malformed framing, request line, headers too large,
/// URI too long, bad HTTP version, header timeout, HTTP/2 protocol errors): one blocking-log line each
/// (event 3104) with the peer, the local port, Kestrel's reason and the status, at most
/// <see cref="LinesPerSecond"/> a second, then one line (3105) saying how many were left out; every
/// rejection is counted in <c>edgeproxy_protocol_rejections_total{reason}</c>. Kestrel names the
/// connection, not the peer, so <see cref="Track"/> keeps the peer of each open public connection.
/// </summary>
public sealed class KestrelRejections : IDisposable
{
    public const int LinesPerSecond = 10;

    private const int MaxReasonLength = 200;

    private readonly ConcurrentDictionary<string, (string Peer, string Port)> _connections = new(StringComparer.Ordinal);
    private readonly RateBoundLog _bound;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _logger;

    public KestrelRejections(EdgeMetrics metrics, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger(Admission.AdmissionLog.Category);
        _bound = new RateBoundLog(LinesPerSecond, time, (count, over) => EdgeLog.ProtocolRejectionsSuppressed(_logger, count, over.TotalSeconds, LinesPerSecond));
    }

    /// <summary>Connection middleware: remembers the connection's peer (IPv4-mapped addresses as IPv4) and local port while it is open.</summary>
    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        var peer = connection.RemoteEndPoint is IPEndPoint remote ? Admission.IpAddressGrammar.Normalize(remote.Address).ToString() : "-";
        var port = connection.LocalEndPoint is IPEndPoint local ? local.Port.ToString(CultureInfo.InvariantCulture) : "-";
        _connections[connection.ConnectionId] = (peer, port);
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
        }
    };

    /// <summary>Counts and (within the bound) logs one rejection Kestrel reported for <paramref name="connectionId"/>.</summary>
    public void Report(string? connectionId, string kind, string reason, int? status)
    {
        _metrics.ProtocolRejections.WithLabels(kind).Inc();
        if (!_bound.TryTake())
        {
            return;
        }

        var (peer, port) = connectionId is not null && _connections.TryGetValue(connectionId, out var known) ? known : ("-", "-");
        EdgeLog.ProtocolRejected(_logger, peer, port, reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
            status?.ToString(CultureInfo.InvariantCulture) ?? "-", kind);
    }

    public void Dispose() => _bound.Dispose();
}
