using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Opens every connection to a Cloud Connect node, probes included: TCP, then mutual TLS with the proxy's
/// client certificate, the node chain verified against NGX_PRXY_SSL_TRUST_CRT only and its name
/// against the node address. Used as SocketsHttpHandler.ConnectCallback because the handler would
/// otherwise verify the node against the Host header (the proxy's external name), not the node.
/// </summary>
public sealed class NodeTlsConnector(ProxyState state, ILogger<NodeTlsConnector> logger)
{
    /// <summary>Set on the request that opened a connection: how long TCP and TLS took (for the access log).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeKey = new("edgeproxy.connect-time");

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(CreateOptions(state.Current, endpoint, context.InitialRequestMessage.Version), cancellationToken);
            context.InitialRequestMessage.Options.Set(ConnectTimeKey, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    internal SslClientAuthenticationOptions CreateOptions(ActiveConfiguration configuration, DnsEndPoint endpoint, Version httpVersion)
    {
        var settings = configuration.Settings;
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(configuration.Loaded.TrustedNodeCas);
        policy.ApplicationPolicy.Add(ServerAuth);

        var node = $"{endpoint.Host}:{endpoint.Port}";
        return new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            ClientCertificateContext = configuration.UpstreamClientCertificateContext,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = policy,
            AllowRenegotiation = false,
            ApplicationProtocols = httpVersion.Major >= 2
                ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]
                : [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(node, certificate, chain, errors, settings.VerifyDepth),
        };
    }

    // Accepts only what the platform already verified (chain to the custom roots, host name, EKU);
    // adds nginx's depth limit and turns a refusal into one clear log line.
    private bool Verify(string node, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, int maxDepth)
    {
        string? reason = null;
        if (certificate is null)
        {
            reason = "the node sent no certificate";
        }
        else if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reason = $"certificate '{certificate.Subject}' does not name {node}";
        }
        else if (errors != SslPolicyErrors.None)
        {
            var status = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct() ?? [];
            reason = $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}' is not trusted by {PropertyCatalog.TrustBundle.Name} ({errors}: {string.Join("; ", status)})";
        }
        else if (chain is not null && chain.ChainElements.Count - 1 > maxDepth)
        {
            reason = $"certificate chain depth {chain.ChainElements.Count - 1} exceeds {PropertyCatalog.SslVerifyDepth.Name}={maxDepth}";
        }

        if (reason is null)
        {
            return true;
        }

        UpstreamLog.NodeCertificateRejected(logger, node, reason);
        return false;
    }
}
