using System.Net.Security;
using EdgeProxy.Admission;
using EdgeProxy.Edge;

namespace EdgeProxy.Configuration;

/// <summary>
/// A loaded configuration plus what the request path derives from it (TLS contexts, path policy),
/// computed once when the configuration becomes active.
/// </summary>
public sealed class ActiveConfiguration
{
    public ActiveConfiguration(LoadedConfiguration loaded, DateTimeOffset activatedAt)
    {
        Loaded = loaded;
        ActivatedAt = activatedAt;
        Paths = new PathPolicy(loaded.Settings);
        Admission = AdmissionPolicy.From(loaded.Settings);
        RateLimitExempt = new AddressSet(loaded.Settings.RateLimitExemptNetworks);

        ServerCertificateContext = SslStreamCertificateContext.Create(
            loaded.ServerCertificate.Certificate, loaded.ServerCertificate.Intermediates, offline: true);
        UpstreamClientCertificateContext = SslStreamCertificateContext.Create(
            loaded.UpstreamClientCertificate.Certificate, loaded.UpstreamClientCertificate.Intermediates, offline: true);
    }

    public LoadedConfiguration Loaded { get; }

    /// <summary>When this configuration became active (start or reload).</summary>
    public DateTimeOffset ActivatedAt { get; }

    public EdgeProxySettings Settings => Loaded.Settings;

    public string Version => Loaded.Version;

    public PathPolicy Paths { get; }

    public AdmissionPolicy Admission { get; }

    /// <summary>NGX_RATELIMIT_DISABLE_IPS: exempt from rate and connection limits.</summary>
    public AddressSet RateLimitExempt { get; }

    public SslStreamCertificateContext ServerCertificateContext { get; }

    public SslStreamCertificateContext UpstreamClientCertificateContext { get; }
}
