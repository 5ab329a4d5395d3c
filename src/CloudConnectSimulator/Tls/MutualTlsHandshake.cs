using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CloudConnectSimulator.Logging;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CloudConnectSimulator.Tls;

/// <summary>
/// Builds Kestrel's per-connection TLS options with a required, verified client certificate.
/// </summary>
/// <remarks>
/// Kestrel's <c>HttpsConnectionAdapterOptions.ClientCertificateValidation</c> is not called when the client sends
/// no certificate, so such refusals could only be counted after the client already saw them. Owning the
/// <see cref="RemoteCertificateValidationCallback"/> through <see cref="TlsHandshakeCallbackOptions"/> sees every
/// refusal, and counts it before the TLS alert leaves, so tests can assert on the counter without waiting.
/// </remarks>
internal static class MutualTlsHandshake
{
    public static TlsHandshakeCallbackOptions CreateOptions(TlsMaterial material, NodeState state, ILogger logger)
    {
        var validator = new ClientCertificateValidator(material.ClientCas);
        return new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                var connection = context.Connection;
                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = material.ServerCertificateContext,
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                        Verify(validator, state, logger, connection, certificate, chain),
                });
            },
        };
    }

    private static bool Verify(
        ClientCertificateValidator validator,
        NodeState state,
        ILogger logger,
        BaseConnectionContext connection,
        X509Certificate? certificate,
        X509Chain? platformChain)
    {
        var remote = connection.RemoteEndPoint?.ToString();
        if (certificate is null)
        {
            state.CountRejectedConnection();
            SimulatorLog.NoClientCertificate(logger, state.Name, remote);
            return false;
        }

        var certificate2 = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

        // The platform chain was built against the OS store and is ignored; only the certificates the peer sent are reused.
        if (validator.TryValidate(certificate2, platformChain?.ChainPolicy.ExtraStore, out var reason))
        {
            return true;
        }

        state.CountRejectedConnection();
        SimulatorLog.ClientCertificateRefused(logger, state.Name, certificate2.Subject, remote, reason);
        return false;
    }
}
