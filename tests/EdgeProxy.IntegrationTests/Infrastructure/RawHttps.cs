using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>
/// Sends a hand-written HTTP/1.1 request over TLS from a chosen source address, for what HttpClient
/// will not send (several lines of one header, odd header values).
/// </summary>
public static class RawHttps
{
    public static async Task<int> SendAsync(Uri server, string sourceAddress, string path, IEnumerable<(string Name, string Value)> headers)
    {
        var source = IPAddress.Parse(sourceAddress);
        using var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(server.Host, server.Port);
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(RepoPaths.SampleCert("ca.crt"));
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "edgeproxy.lab.local",
            CertificateChainPolicy = policy,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });

        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: edgeproxy.lab.local\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        using var reader = new StreamReader(tls, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? throw new IOException("no response");
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
