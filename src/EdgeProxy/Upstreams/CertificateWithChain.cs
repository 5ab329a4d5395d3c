using System.Security.Cryptography.X509Certificates;

namespace EdgeProxy.Upstreams;

/// <summary>A certificate with its private key and the intermediates sent after it.</summary>
public sealed record CertificateWithChain(X509Certificate2 Certificate, X509Certificate2Collection Intermediates);
