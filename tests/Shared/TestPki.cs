using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.Testing;

/// <summary>
/// A throw-away PKI for tests: an ECDSA P-256 CA and the certificates it issues, written as PEM files
/// into a temporary directory that <see cref="Dispose"/> deletes.
/// </summary>
public sealed class TestPki : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly HashSet<string> _usedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    private TestPki(string directory, X509Certificate2 caCertificate, string caPath)
    {
        Directory = directory;
        CaCertificate = caCertificate;
        CaPath = caPath;
    }

    /// <summary>Temporary directory holding the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>PEM file of the CA certificate (no key).</summary>
    public string CaPath { get; }

    /// <summary>Creates a new CA (valid from ten years ago to ten years ahead) in a new temporary directory.</summary>
    public static TestPki Create(string caName = "EdgeProxy Test CA")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edgeproxy-pki-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={caName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddYears(-10), now.AddYears(10));
        var ca = Portable(selfSigned);

        var caPath = Path.Combine(directory, "ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        return new TestPki(directory, ca, caPath);
    }

    /// <summary>
    /// Issues a certificate signed by this CA and writes <c>NAME.crt</c> and <c>NAME.key</c> (PKCS#8).
    /// Without DNS names or addresses the common name becomes the only DNS name. With neither
    /// <paramref name="serverAuth"/> nor <paramref name="clientAuth"/> the certificate has no EKU extension.
    /// Validity defaults to one hour ago until thirty days ahead and must lie within the CA's.
    /// </summary>
    public IssuedCertificate Issue(
        string commonName,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null,
        bool serverAuth = true,
        bool clientAuth = true,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(CaCertificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var usages = new OidCollection();
        if (serverAuth)
        {
            usages.Add(new Oid(ServerAuthOid));
        }

        if (clientAuth)
        {
            usages.Add(new Oid(ClientAuthOid));
        }

        if (usages.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        request.CertificateExtensions.Add(SubjectAlternativeName(commonName, dnsNames, ipAddresses));

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 asks
        using var issued = request.Create(CaCertificate, notBefore ?? now.AddHours(-1), notAfter ?? now.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificate = Portable(withKey);

        var name = UniqueFileName(commonName);
        var certPath = Path.Combine(Directory, name + ".crt");
        var keyPath = Path.Combine(Directory, name + ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return new IssuedCertificate(certPath, keyPath, certificate);
    }

    /// <summary>Deletes the temporary directory and releases the CA key.</summary>
    public void Dispose()
    {
        CaCertificate.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves litter in the temp directory; not worth failing a test.
        }
    }

    private static X509Extension SubjectAlternativeName(string commonName, IEnumerable<string>? dnsNames, IEnumerable<IPAddress>? ipAddresses)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var dnsName in dnsNames ?? [])
        {
            builder.AddDnsName(dnsName);
            any = true;
        }

        foreach (var address in ipAddresses ?? [])
        {
            builder.AddIpAddress(address);
            any = true;
        }

        if (!any)
        {
            builder.AddDnsName(commonName);
        }

        return builder.Build();
    }

    // A PKCS#12 round trip gives the key a form every platform's TLS stack (SChannel included) can use.
    private static X509Certificate2 Portable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);

    private string UniqueFileName(string commonName)
    {
        var safe = new string(commonName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        lock (_lock)
        {
            var name = safe;
            for (var n = 2; !_usedNames.Add(name); n++)
            {
                name = $"{safe}-{n}";
            }

            return name;
        }
    }
}

/// <summary>A certificate issued by <see cref="TestPki"/>: its PEM files and the loaded certificate with its private key.</summary>
public sealed record IssuedCertificate(string CertPath, string KeyPath, X509Certificate2 Certificate);
