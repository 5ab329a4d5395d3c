using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>Per-handshake server TLS options, from the active configuration so a reloaded certificate applies to new connections.</summary>
public static class InboundTls
{
    // ECDHE key exchange with AEAD ciphers only (no CBC, no RSA key exchange, no SHA-1 MACs).
    private static readonly CipherSuitesPolicy? Ciphers = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? null : new CipherSuitesPolicy(
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);

    public static SslServerAuthenticationOptions Options(ActiveConfiguration configuration) =>
        Options(configuration, TlsCipherPolicy.FromOpenSslConfiguration);

    /// <summary>The options with the cipher policy left to OpenSSL or not, so tests need not change the process's environment.</summary>
    internal static SslServerAuthenticationOptions Options(ActiveConfiguration configuration, bool cipherPolicyFromOpenSsl) => new()
    {
        // Left to OpenSSL when it runs EdgeProxy's configuration (TlsCipherPolicy): a policy here costs a new TLS context per handshake.
        CipherSuitesPolicy = cipherPolicyFromOpenSsl ? null : Ciphers,
        ServerCertificateContext = configuration.ServerCertificateContext,
        EnabledSslProtocols = configuration.Settings.InboundProtocols,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };
}
