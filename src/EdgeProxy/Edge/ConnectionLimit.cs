using System.Net;
using EdgeProxy.Configuration;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT as a Kestrel connection middleware: open connections per client
/// address, refused before the TLS handshake so a flood costs no crypto. The client is the peer, or the
/// client a balancer's PROXY header named (read before this). Trusted load balancers and
/// NGX_RATELIMIT_DISABLE_IPS are exempt (a balancer carries many clients; they are rate-limited per client).
/// </summary>
public sealed class ConnectionLimit(ProxyState state, ConnectionCounter counter, Operations.EdgeMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(Admission.AdmissionLog.Category);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var configuration = state.Current;
        if (connection.RemoteEndPoint is not IPEndPoint remote)
        {
            await next(connection);
            return;
        }

        var peer = Admission.IpAddressGrammar.Normalize(remote.Address);
        var client = connection.Features.Get<Admission.ProxyProtocolClient>()?.Address ?? peer;
        if (configuration.Admission.LoadBalancers.Contains(client) || configuration.RateLimitExempt.Contains(client))
        {
            await next(connection);
            return;
        }

        var limit = configuration.Settings.Http1ConnectionLimit;
        if (!counter.TryAcquire(client, limit, out var open))
        {
            metrics.Refusals.WithLabels("ConnectionLimit").Inc();
            EdgeLog.ConnectionRefused(_logger, client.ToString(), peer.ToString(), open, limit);
            connection.Abort(new ConnectionAbortedException("connection limit per client address reached"));
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            counter.Release(client);
        }
    };
}
