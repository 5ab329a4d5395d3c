using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// An HTTPS client shaped like Webex Connect: it connects from a chosen loopback source address (127.0.0.x), sends
/// <c>Host</c> (HTTP/2 <c>:authority</c>) and SNI = the proxy's external name as on port 443, whatever port the test
/// proxy listens on, and verifies the proxy certificate against the sample CA, as Webex Connect would against a public CA.
/// </summary>
public static class EdgeClient
{
    /// <summary>NGX_PRXY_CLOUDCONNECT_HOSTNAME in the test and lab env files: the name Webex Connect sends.</summary>
    public const string ExternalHost = "edgeproxy.lab.local";

    /// <param name="host">The Host header (and SNI) to send; null sends the address of <paramref name="baseAddress"/>.</param>
    public static HttpClient Create(Uri baseAddress, string sourceAddress = "127.0.0.1", Version? version = null, string? caPath = null,
        string? host = ExternalHost)
    {
        var source = IPAddress.Parse(sourceAddress);
        var policy = TrustPolicy(caPath ?? RepoPaths.SampleCert("ca.crt"));
        var handler = new SocketsHttpHandler
        {
            // TLS is done here, not by the handler: the handler would take SNI from the Host header, and a client that sends
            // another Host still looked up (and verifies) the proxy's name.
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = host is null ? context.DnsEndPoint.Host : ExternalHost,
                        CertificateChainPolicy = policy,
                        ApplicationProtocols = context.InitialRequestMessage.Version.Major >= 2
                            ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]
                            : [SslApplicationProtocol.Http11],
                    }, ct);
                    return tls;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };

        var client = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    /// <summary>Trusts only the CA in <paramref name="caPath"/>, as a client pinned to the proxy's CA would.</summary>
    public static X509ChainPolicy TrustPolicy(string caPath)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caPath);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        return policy;
    }
}
