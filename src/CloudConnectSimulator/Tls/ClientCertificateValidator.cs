using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudConnectSimulator.Tls;

/// <summary>
/// Verifies a client (proxy) certificate against the node's client CA bundle only, never the OS store,
/// the way a Cloud Connect node checks the certificate uploaded to its trust store.
/// </summary>
internal sealed class ClientCertificateValidator(X509Certificate2Collection trustedCas)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <param name="certificate">The certificate the client presented.</param>
    /// <param name="presentedIntermediates">Other certificates the client sent; they help build the path but are never trusted.</param>
    /// <param name="reason">Why the certificate was refused, for the log.</param>
    public bool TryValidate(X509Certificate2 certificate, X509Certificate2Collection? presentedIntermediates, out string reason)
    {
        if (!AllowsClientAuth(certificate))
        {
            reason = "its extended key usage does not include clientAuth (1.3.6.1.5.5.7.3.2)";
            return false;
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trustedCas);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        if (presentedIntermediates is not null)
        {
            policy.ExtraStore.AddRange(presentedIntermediates);
        }

        if (chain.Build(certificate))
        {
            reason = "";
            return true;
        }

        reason = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})"));
        if (reason.Length == 0)
        {
            reason = "the chain could not be built to a trusted client CA";
        }

        return false;
    }

    // RFC 5280: without an EKU extension the key may be used for any purpose.
    private static bool AllowsClientAuth(X509Certificate2 certificate)
    {
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is null || eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid);
    }
}
