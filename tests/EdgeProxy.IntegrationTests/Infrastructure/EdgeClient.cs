using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// An HTTPS client that connects from a chosen loopback source address (127.0.0.x) and verifies the
/// proxy certificate against the sample CA, as Webex Connect would against a public CA.
/// </summary>
public static class EdgeClient
{
    public static HttpClient Create(Uri baseAddress, string sourceAddress = "127.0.0.1", Version? version = null, string? caPath = null)
    {
        var source = IPAddress.Parse(sourceAddress);
        var policy = TrustPolicy(caPath ?? RepoPaths.SampleCert("ca.crt"));
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };

        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
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
