using EdgeProxy.Configuration;
using EdgeProxy.IntegrationTests.Infrastructure;
using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.IntegrationTests.Operations;

/// <summary><c>edgeproxy_certificate_expiry_timestamp_seconds</c> on the real status listener, at start and after a certificate rotation.</summary>
public sealed class CertificateExpiryMetricsTests
{
    private const string Metric = "edgeproxy_certificate_expiry_timestamp_seconds";

    [Fact]
    public async Task Start_ThenServerCertificateRotated_SeriesFollowTheFilesInUse()
    {
        using var directory = new TempFolder("edgeproxy-expiry-");
        X509Certificate2 first = null!;
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            (var cert, var key, first) = SampleCa.Issue(directory.Path, "server", "first.lab.local");
            o.ExtraEnv.AddRange([$"NGX_SSL_CRT={cert}", $"NGX_SSL_KEY={key}"]);
        });
        using var status = new HttpClient { BaseAddress = lab.StatusUri };
        var ca = X509CertificateLoader.LoadCertificateFromFile(RepoPaths.SampleCert("ca.crt"));

        var atStart = PrometheusText.Parse(await status.GetStringAsync("/metrics")).Where(s => s.Name == Metric).ToList();

        Assert.Equal(
        [
            ("server", "first.lab.local", UnixSeconds(first)),
            ("trust", ca.GetNameInfo(X509NameType.SimpleName, false), UnixSeconds(ca)),
            ("upstream_client", "first.lab.local", UnixSeconds(first)),
        ], Series(atStart));

        var applied = lab.NextReloadAsync(o => o.Status == ReloadStatus.Applied);
        var (_, _, second) = SampleCa.Issue(directory.Path, "server", "second.lab.local");
        await applied;
        var afterReload = PrometheusText.Parse(await status.GetStringAsync("/metrics")).Where(s => s.Name == Metric).ToList();

        Assert.Equal(
        [
            ("server", "second.lab.local", UnixSeconds(second)),
            ("trust", ca.GetNameInfo(X509NameType.SimpleName, false), UnixSeconds(ca)),
            ("upstream_client", "second.lab.local", UnixSeconds(second)),
        ], Series(afterReload));
    }

    private static double UnixSeconds(X509Certificate2 certificate) => new DateTimeOffset(certificate.NotAfter).ToUnixTimeSeconds();

    private static List<(string, string, double)> Series(IEnumerable<PrometheusText.Sample> samples) =>
        [.. samples.Select(s => (s.Labels["certificate"], s.Labels["subject"], s.Value)).Order()];
}
