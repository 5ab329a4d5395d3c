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
    /// <summary>Opens a TLS connection from <paramref name="sourceAddress"/>, verifying the proxy against the sample CA (ALPN HTTP/1.1 unless <paramref name="protocol"/>).</summary>
    /// <param name="preamble">Bytes sent before the TLS ClientHello, as a PROXY protocol header.</param>
    public static async Task<SslStream> ConnectAsync(Uri server, string sourceAddress, CancellationToken cancellationToken = default, SslApplicationProtocol? protocol = null,
        ReadOnlyMemory<byte> preamble = default)
    {
        var source = IPAddress.Parse(sourceAddress);
        var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
            if (!preamble.IsEmpty)
            {
                await socket.SendAsync(preamble, cancellationToken);
            }

            var policy = EdgeClient.TrustPolicy(RepoPaths.SampleCert("ca.crt"));
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "edgeproxy.lab.local",
                CertificateChainPolicy = policy,
                ApplicationProtocols = [protocol ?? SslApplicationProtocol.Http11],
            }, cancellationToken);
            return tls;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task<int> SendAsync(Uri server, string sourceAddress, string path, IEnumerable<(string Name, string Value)> headers)
    {
        await using var tls = await ConnectAsync(server, sourceAddress);
        return await SendOnAsync(tls, path, headers, close: true);
    }

    /// <summary>Sends one GET on an open connection and reads the status line (and the rest when <paramref name="close"/>).</summary>
    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("connection closed in a chunked body");
            }

            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    public static async Task<int> SendOnAsync(SslStream tls, string path, IEnumerable<(string Name, string Value)> headers, bool close)
    {

        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: edgeproxy.lab.local\r\n{(close ? "Connection: close\r\n" : "")}");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        // Read byte by byte up to the end of the headers so the stream stays usable for the next request.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await tls.ReadAsync(one) == 0)
            {
                throw new IOException("connection closed before the response headers ended: " + head);
            }

            head.Append((char)one[0]);
        }

        var lines = head.ToString().Split("\r\n");
        if (lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(tls)).Split(';')[0].Trim(), 16);
                var chunk = new byte[size + 2];
                await tls.ReadExactlyAsync(chunk);
                if (size == 0)
                {
                    break;
                }
            }
        }
        else
        {
            var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
            var body = new byte[length];
            await tls.ReadExactlyAsync(body);
        }

        return int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
