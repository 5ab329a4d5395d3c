using System.Net;

namespace CloudConnectSimulator;

/// <summary>Settings of one simulated Cloud Connect node, read once by <see cref="SimulatorNode.StartAsync"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Node name reported by ping and the admin API, e.g. "publisher" or "subscriber".</summary>
    public string Name { get; set; } = "publisher";

    /// <summary>Address of the HTTPS (mutual TLS) listener.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Address of the plain-HTTP admin listener; <c>null</c> means <see cref="Address"/>.
    /// Must be a loopback address because the admin API has no authentication.
    /// </summary>
    public IPAddress? AdminAddress { get; set; }

    /// <summary>HTTPS port; 0 picks an ephemeral port (read it back from <see cref="SimulatorNode.HttpsPort"/>).</summary>
    public int HttpsPort { get; set; }

    /// <summary>Admin port; 0 picks an ephemeral port (read it back from <see cref="SimulatorNode.AdminPort"/>).</summary>
    public int AdminPort { get; set; }

    /// <summary>PEM file of the node's server certificate, optionally followed by its intermediates.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file of the server certificate's private key (PKCS#8, EC or RSA; unencrypted).</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>PEM bundle of the CA certificates that must sign the client (proxy) certificate.</summary>
    public string ClientCaPath { get; set; } = "";

    /// <summary>Mode at start.</summary>
    public NodeMode InitialMode { get; set; } = NodeMode.Active;

    /// <summary>Delay added before every HTTPS response (a "slow" node); changeable later through <see cref="SimulatorNode.Delay"/>.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// Maximum open tasks per media type (case-insensitive). Media types not listed have no limit.
    /// </summary>
    public IDictionary<string, int> QueueLimits { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["chat"] = 100,
        ["email"] = 100,
        ["sms"] = 100,
        ["social"] = 100,
    };

    /// <summary>How long a closed task stays readable before it is forgotten (Cisco keeps them 15 minutes).</summary>
    public TimeSpan ClosedTaskRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock for task timestamps, retention, recorded request times and the response delay.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the node logs (one line per request, refused handshakes); <c>null</c> means silent.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
