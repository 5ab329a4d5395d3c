using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Operations;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Admission;

/// <summary>
/// NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol as a Kestrel connection middleware, before the connection
/// limit and TLS: a trusted balancer's connection must open with a PROXY header, which is read, removed from
/// the input and kept as <see cref="ProxyProtocolClient"/>; a missing, invalid or incomplete one closes the
/// connection, as does a PROXY header from any other peer. The configuration is read once per connection,
/// so a reload applies to new connections. NGX_CLIENT_HEADER_TIMEOUT bounds the wait for the header.
/// </summary>
public sealed class ProxyProtocolReader : IDisposable
{
    public const int LinesPerSecond = 10;

    private readonly ProxyState _state;
    private readonly EdgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateBoundLog _bound;

    public ProxyProtocolReader(ProxyState state, EdgeMetrics metrics, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _state = state;
        _metrics = metrics;
        _time = time;
        _logger = loggerFactory.CreateLogger(AdmissionLog.Category);
        _bound = new RateBoundLog(LinesPerSecond, time, (count, over) => AdmissionLog.ProxyHeaderRefusalsSuppressed(_logger, count, over.TotalSeconds, LinesPerSecond));
    }

    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
    {
        var configuration = _state.Current;
        return configuration.Admission.ProxyProtocol && connection.RemoteEndPoint is IPEndPoint remote
            ? ReadHeaderAsync(connection, remote, configuration, next)
            : next(connection);
    };

    public void Dispose() => _bound.Dispose();

    private async Task ReadHeaderAsync(ConnectionContext connection, IPEndPoint remote, ActiveConfiguration configuration, ConnectionDelegate next)
    {
        var peer = IpAddressGrammar.Normalize(remote.Address);
        var trusted = configuration.Admission.LoadBalancers.Contains(peer);
        var (result, received) = await ReadAsync(connection.Transport.Input, trusted, configuration.Settings.ClientHeaderTimeout);
        if (result.Status == ProxyHeaderStatus.Parsed && trusted)
        {
            var client = result.Header!.Source ?? new IPEndPoint(peer, remote.Port);
            connection.Features.Set(new ProxyProtocolClient(client, result.Header.Version));
            await next(connection);
            return;
        }

        if (result.Status == ProxyHeaderStatus.Absent && !trusted)
        {
            await next(connection);
            return;
        }

        // A peer that closes (or says nothing until the timeout) before its first byte is not refused, only closed:
        // a balancer's TCP health check does exactly that, and TLS would close a silent client too.
        if (received == 0 && result.Status == ProxyHeaderStatus.NeedMoreData)
        {
            connection.Abort(new ConnectionAbortedException("closed before sending anything"));
            return;
        }

        var reason = (trusted, result.Status) switch
        {
            (false, _) => $"a PROXY header from a peer not in {PropertyCatalog.LoadBalancerIps.Name}",
            (true, ProxyHeaderStatus.Absent) => "no PROXY header from a trusted load balancer",
            (true, ProxyHeaderStatus.Invalid) => result.Error!,
            _ => $"incomplete PROXY header ({received} bytes) at the end of the connection or of {PropertyCatalog.ClientHeaderTimeout.Name}",
        };
        Refuse(connection, peer, reason);
    }

    /// <summary>Reads until the parser decides, the peer stops sending or the timeout passes; consumes the header only from a trusted peer.</summary>
    private async Task<(ProxyHeaderResult Result, long Received)> ReadAsync(PipeReader input, bool trusted, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        var received = 0L;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(deadline.Token);
                var buffer = read.Buffer;
                received = buffer.Length;
                var result = ProxyProtocolParser.Parse(buffer);
                if (result.Status == ProxyHeaderStatus.NeedMoreData && !read.IsCompleted && !read.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                // Whatever follows the header (or the whole input, when there is none) stays unread for TLS.
                input.AdvanceTo(trusted && result.Status == ProxyHeaderStatus.Parsed ? buffer.GetPosition(result.Length) : buffer.Start);
                return (result, received);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (ProxyHeaderResult.NeedMoreData, received);
        }
    }

    private void Refuse(ConnectionContext connection, IPAddress peer, string reason)
    {
        _metrics.Refusals.WithLabels("ProxyProtocol").Inc();
        if (_bound.TryTake())
        {
            var port = connection.LocalEndPoint is IPEndPoint local ? local.Port.ToString(CultureInfo.InvariantCulture) : "-";
            AdmissionLog.ProxyHeaderRefused(_logger, peer.ToString(), port, reason);
        }

        connection.Abort(new ConnectionAbortedException(reason));
    }
}
