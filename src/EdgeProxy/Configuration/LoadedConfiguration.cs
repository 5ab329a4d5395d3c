using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Upstreams;

namespace EdgeProxy.Configuration;

/// <summary>
/// One complete, validated configuration: typed settings plus the certificates they name, loaded once.
/// Replaced whole on reload; the request path only reads it.
/// </summary>
public sealed record LoadedConfiguration(
    EdgeProxySettings Settings,
    CertificateWithChain ServerCertificate,
    CertificateWithChain UpstreamClientCertificate,
    X509Certificate2Collection TrustedNodeCas,
    string Version,
    EnvSet Env);
