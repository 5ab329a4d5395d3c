using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Configuration;

namespace EdgeProxy.Operations;

/// <summary>
/// Publishes <c>edgeproxy_certificate_expiry_timestamp_seconds{certificate,subject}</c> for the configuration in use,
/// at start and after every applied reload (a renewed certificate file is a new configuration). Series of
/// certificates no longer in use are removed. Cardinality stays bounded: the subject is the common name cut to
/// <see cref="MaxSubjectLength"/> characters, and of a trust bundle only the <see cref="MaxTrustSeries"/> CAs that
/// expire first are published (the ones an expiry alert is about).
/// </summary>
public sealed class CertificateExpiryMetrics(ProxyState state, EdgeMetrics metrics) : IHostedService
{
    public const int MaxSubjectLength = 64;

    public const int MaxTrustSeries = 10;

    private readonly Lock _lock = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        state.Changed += Observe;
        Observe(state.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        state.Changed -= Observe;
        return Task.CompletedTask;
    }

    /// <summary>The series for one configuration: label values and NotAfter in Unix seconds.</summary>
    public static IReadOnlyList<CertificateExpiry> Series(LoadedConfiguration configuration)
    {
        var trust = configuration.TrustedNodeCas
            .Select(ca => Expiry("trust", ca))
            // Two CAs with one name (an old and a renewed one): the one expiring first is the one to act on.
            .GroupBy(e => e.Subject, StringComparer.Ordinal)
            .Select(g => g.MinBy(e => e.NotAfterUnixSeconds)!)
            .OrderBy(e => e.NotAfterUnixSeconds)
            .ThenBy(e => e.Subject, StringComparer.Ordinal)
            .Take(MaxTrustSeries);
        return
        [
            Expiry("server", configuration.ServerCertificate.Certificate),
            Expiry("upstream_client", configuration.UpstreamClientCertificate.Certificate),
            .. trust,
        ];
    }

    private void Observe(ActiveConfiguration configuration)
    {
        var series = Series(configuration.Loaded);
        lock (_lock)
        {
            // Set the new series before removing stale ones, so a scrape in between never sees none.
            foreach (var expiry in series)
            {
                metrics.CertificateExpiry.WithLabels(expiry.Certificate, expiry.Subject).Set(expiry.NotAfterUnixSeconds);
            }

            var current = series.Select(e => (e.Certificate, e.Subject)).ToHashSet();
            foreach (var labels in metrics.CertificateExpiry.GetAllLabelValues().ToList())
            {
                if (!current.Contains((labels[0], labels[1])))
                {
                    metrics.CertificateExpiry.RemoveLabelled(labels);
                }
            }
        }
    }

    private static CertificateExpiry Expiry(string role, X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            name = certificate.Subject;
        }

        return new CertificateExpiry(role, name.Length > MaxSubjectLength ? name[..MaxSubjectLength] : name,
            new DateTimeOffset(certificate.NotAfter).ToUnixTimeSeconds());
    }
}

/// <summary>One series of <c>edgeproxy_certificate_expiry_timestamp_seconds</c>.</summary>
public sealed record CertificateExpiry(string Certificate, string Subject, long NotAfterUnixSeconds);
