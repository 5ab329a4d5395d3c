using System.Net;
using EdgeProxy.Configuration;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Edge;

/// <summary>
/// NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT as a Kestrel connection middleware: open connections per client
/// address, refused before the TLS handshake so a flood costs no crypto. The client is the peer, or the
/// client a balancer's PROXY header named (read before this). Trusted load balancers and
/// NGX_RATELIMIT_DISABLE_IPS are exempt (a balancer carries many clients; they are rate-limited per client).
/// No HTTP status can be sent before TLS, so NGX_LIMIT_CONN_STATUS does not apply here. Under NGX_LIMIT_CONN_DRY_RUN
/// a connection over the limit is accepted, logged and counted.
/// </summary>
public sealed class ConnectionLimit(ProxyState state, ConnectionCounter counter, Operations.EdgeMetrics metrics, ILoggerFactory loggerFactory)
{
    /// <summary>The <c>reason</c> of <c>edgeproxy_refusals_total</c> for a refused connection.</summary>
    public const string RefusalLabel = "ConnectionLimit";

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
        var dryRun = configuration.Settings.ConnectionLimitDryRun;

        // A dry run takes a slot whatever the count, so the counts it logs are those the limit would see.
        if (!counter.TryAcquire(client, dryRun ? int.MaxValue : limit, out var open))
        {
            metrics.Refusals.WithLabels(RefusalLabel).Inc();
            EdgeLog.ConnectionRefused(_logger, client.ToString(), peer.ToString(), open, limit);
            connection.Abort(new ConnectionAbortedException("connection limit per client address reached"));
            return;
        }

        if (open >= limit)
        {
            metrics.DryRunRefusals.WithLabels(RefusalLabel).Inc();
            EdgeLog.ConnectionLimitDryRun(_logger, client.ToString(), open, limit);
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
