using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudConnectSimulator.Tls;

/// <summary>The node's server certificate and the client CA bundle, loaded once from PEM at start.</summary>
internal sealed class TlsMaterial : IDisposable
{
    private readonly X509Certificate2 _serverCertificate;
    private readonly X509Certificate2Collection _intermediates;

    private TlsMaterial(X509Certificate2 serverCertificate, X509Certificate2Collection intermediates, X509Certificate2Collection clientCas)
    {
        _serverCertificate = serverCertificate;
        _intermediates = intermediates;
        ClientCas = clientCas;
        // Offline: the node must never fetch intermediates (AIA) from the network at start.
        ServerCertificateContext = SslStreamCertificateContext.Create(serverCertificate, intermediates, offline: true);
    }

    public SslStreamCertificateContext ServerCertificateContext { get; }

    public X509Certificate2Collection ClientCas { get; }

    public static TlsMaterial Load(SimulatorOptions options)
    {
        var serverCertificate = LoadServerCertificate(options.CertificatePath, options.KeyPath);
        try
        {
            // The certificate file may carry the chain after the leaf; send it so clients can build the path.
            var chain = ImportPemBundle(options.CertificatePath, "server certificate");
            var intermediates = new X509Certificate2Collection();
            foreach (var certificate in chain)
            {
                if (certificate.Thumbprint == serverCertificate.Thumbprint)
                {
                    certificate.Dispose();
                }
                else
                {
                    intermediates.Add(certificate);
                }
            }

            var clientCas = ImportPemBundle(options.ClientCaPath, "client CA bundle");
            return new TlsMaterial(serverCertificate, intermediates, clientCas);
        }
        catch
        {
            serverCertificate.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _serverCertificate.Dispose();
        DisposeAll(_intermediates);
        DisposeAll(ClientCas);
    }

    private static X509Certificate2 LoadServerCertificate(string certificatePath, string keyPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // ArgumentException: a well-formed key that belongs to another certificate.
            throw new InvalidOperationException(
                $"Cannot load the server certificate '{certificatePath}' with the key '{keyPath}' "
                + $"(PEM certificate and matching unencrypted PKCS#8, EC or RSA key expected): {ex.Message}", ex);
        }

        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // SChannel cannot use the ephemeral key that PEM loading produces; a PKCS#12 round trip gives it a usable one.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    private static X509Certificate2Collection ImportPemBundle(string path, string what)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"Cannot read the {what} '{path}' as PEM: {ex.Message}", ex);
        }

        if (bundle.Count == 0)
        {
            throw new InvalidOperationException($"The {what} '{path}' contains no PEM certificate.");
        }

        return bundle;
    }

    private static void DisposeAll(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
