using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Testing;

namespace CloudConnectSimulator.Tests;

/// <summary>A node on an ephemeral loopback port with its own test PKI, and clients that verify it properly.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private int _connectionsOpened;

    private SimulatorHarness(TestPki pki, IssuedCertificate nodeCertificate, IssuedCertificate clientCertificate, SimulatorNode node)
    {
        Pki = pki;
        NodeCertificate = nodeCertificate;
        ClientCertificate = clientCertificate;
        Node = node;
    }

    public TestPki Pki { get; }

    public IssuedCertificate NodeCertificate { get; }

    /// <summary>A clientAuth certificate from the CA the node trusts.</summary>
    public IssuedCertificate ClientCertificate { get; }

    public SimulatorNode Node { get; }

    /// <summary>TCP connections the HTTPS clients of this harness opened (SocketsHttpHandler retries some failures on new connections).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    public static async Task<SimulatorHarness> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var pki = TestPki.Create();
        var nodeCertificate = pki.Issue("publisher.cc.test", dnsNames: ["publisher.cc.test"], ipAddresses: [IPAddress.Loopback], clientAuth: false);
        var clientCertificate = pki.Issue("edgeproxy.test", serverAuth: false);
        var options = new SimulatorOptions
        {
            Name = "publisher",
            Address = IPAddress.Loopback,
            CertificatePath = nodeCertificate.CertPath,
            KeyPath = nodeCertificate.KeyPath,
            ClientCaPath = pki.CaPath,
        };
        configure?.Invoke(options);

        try
        {
            var node = await SimulatorNode.StartAsync(options);
            return new SimulatorHarness(pki, nodeCertificate, clientCertificate, node);
        }
        catch
        {
            pki.Dispose();
            throw;
        }
    }

    /// <summary>HTTPS client presenting the trusted client certificate.</summary>
    public HttpClient CreateClient() => CreateClient(ClientCertificate.Certificate);

    /// <summary>HTTPS client presenting <paramref name="clientCertificate"/> (none when null), trusting only <paramref name="trustedCa"/> (default: this PKI's CA).</summary>
    public HttpClient CreateClient(X509Certificate2? clientCertificate, X509Certificate2? trustedCa = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate((trustedCa ?? Pki.CaCertificate).RawData));

        var ssl = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        var handler = new SocketsHttpHandler { SslOptions = ssl, UseProxy = false, ConnectCallback = ConnectAsync };
        var client = new HttpClient(handler) { BaseAddress = Node.HttpsUri, Timeout = TimeSpan.FromSeconds(30) };
        _owned.Add(client);
        return client;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connectionsOpened);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Node.AdminUri, Timeout = TimeSpan.FromSeconds(30) };
        _owned.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Node.DisposeAsync();
        Pki.Dispose();
    }
}
