using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.Upstreams;

/// <summary>Loads PEM certificates, keys and CA bundles, with errors phrased for the operator.</summary>
public static class CertificateFiles
{
    /// <summary>Organisation in the subject of the certificates made by certs-sample/make-certs.sh.</summary>
    public const string SampleOrganization = "EdgeProxy Sample (LAB ONLY)";

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Loads a leaf certificate with its private key; further certificates in the file are its chain.</summary>
    public static CertificateWithChain LoadWithKey(string certificatePath, string keyPath)
    {
        var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all.Skip(1))
        {
            chain.Add(certificate);
        }

        return new CertificateWithChain(leaf, chain);
    }

    /// <summary>Loads every certificate in a PEM bundle; fails when there is none.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        if (bundle.Count == 0)
        {
            throw new CryptographicException("no PEM certificate found in the file");
        }

        return bundle;
    }

    public static bool AllowsServerAuth(X509Certificate2 certificate) => AllowsUsage(certificate, ServerAuthOid);

    public static bool AllowsClientAuth(X509Certificate2 certificate) => AllowsUsage(certificate, ClientAuthOid);

    public static bool IsSample(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Any(rdn => rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() == SampleOrganization);

    // No EKU extension means any usage (RFC 5280 4.2.1.12).
    private static bool AllowsUsage(X509Certificate2 certificate, string oid)
    {
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is null || eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == oid);
    }
}
