using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>Per-handshake server TLS options, from the active configuration so a reloaded certificate applies to new connections.</summary>
public static class InboundTls
{
    public static SslServerAuthenticationOptions Options(ActiveConfiguration configuration) => new()
    {
        ServerCertificateContext = configuration.ServerCertificateContext,
        EnabledSslProtocols = configuration.Settings.InboundProtocols,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };
}
