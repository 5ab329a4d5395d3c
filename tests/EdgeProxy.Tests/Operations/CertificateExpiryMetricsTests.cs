using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Configuration;
using EdgeProxy.Operations;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Operations;

public sealed class CertificateExpiryMetricsTests
{
    [Fact]
    public void Series_LabConfiguration_IsNotAfterOfEachSampleCertificate()
    {
        var configuration = LabConfiguration();
        var proxy = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepositoryPaths.SampleCertificates, "proxy.crt"));
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(RepositoryPaths.SampleCertificates, "ca.crt"));

        var series = CertificateExpiryMetrics.Series(configuration);

        Assert.Equal(
        [
            new CertificateExpiry("server", proxy.GetNameInfo(X509NameType.SimpleName, false), new DateTimeOffset(proxy.NotAfter).ToUnixTimeSeconds()),
            new CertificateExpiry("upstream_client", proxy.GetNameInfo(X509NameType.SimpleName, false), new DateTimeOffset(proxy.NotAfter).ToUnixTimeSeconds()),
            new CertificateExpiry("trust", ca.GetNameInfo(X509NameType.SimpleName, false), new DateTimeOffset(ca.NotAfter).ToUnixTimeSeconds()),
        ], series);
        // Whole seconds of the certificate's own NotAfter (UTC), whatever the machine's time zone.
        Assert.Equal(proxy.NotAfter.ToUniversalTime(), DateTimeOffset.FromUnixTimeSeconds(series[0].NotAfterUnixSeconds).UtcDateTime);
    }

    [Fact]
    public void Series_LargeTrustBundle_KeepsTheCasExpiringFirst_SubjectsCut()
    {
        var now = DateTimeOffset.UtcNow;
        var bundle = new X509Certificate2Collection();
        for (var i = 0; i < CertificateExpiryMetrics.MaxTrustSeries + 5; i++)
        {
            bundle.Add(SelfSigned($"CA {i:D2} " + new string('x', 80), now.AddDays(100 + i)));
        }

        var series = CertificateExpiryMetrics.Series(LabConfiguration() with { TrustedNodeCas = bundle });

        var trust = series.Where(s => s.Certificate == "trust").ToList();
        Assert.Equal(CertificateExpiryMetrics.MaxTrustSeries, trust.Count);
        Assert.Equal(Enumerable.Range(0, CertificateExpiryMetrics.MaxTrustSeries).Select(i => $"CA {i:D2} "), trust.Select(s => s.Subject[..6]));
        Assert.All(trust, s => Assert.Equal(CertificateExpiryMetrics.MaxSubjectLength, s.Subject.Length));
    }

    [Fact]
    public void Series_TwoCasWithOneName_PublishesTheOneExpiringFirst()
    {
        var now = DateTimeOffset.UtcNow;
        var renewed = SelfSigned("Cloud Connect CA", now.AddYears(5));
        var old = SelfSigned("Cloud Connect CA", now.AddDays(20));

        var series = CertificateExpiryMetrics.Series(LabConfiguration() with { TrustedNodeCas = [renewed, old] });

        var trust = Assert.Single(series, s => s.Certificate == "trust");
        Assert.Equal(new DateTimeOffset(old.NotAfter).ToUnixTimeSeconds(), trust.NotAfterUnixSeconds);
    }

    private static LoadedConfiguration LabConfiguration()
    {
        var result = ConfigurationLoader.Load(new EnvSources([Path.Combine(RepositoryPaths.Root, "env", "lab.env")], []),
            new Dictionary<string, string> { ["LAB_CERTS_DIR"] = RepositoryPaths.SampleCertificates });
        Assert.True(result.Configuration is not null, string.Join("; ", result.Errors));
        return result.Configuration;
    }

    private static X509Certificate2 SelfSigned(string commonName, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
