using System.Net;
using CloudConnectSimulator;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>Starts a simulator with the lab's sample certificates (or others), on an ephemeral port.</summary>
public static class LabNodes
{
    public static Task<SimulatorNode> StartAsync(string name, string address, NodeMode mode,
        string? certificate = null, string? key = null, string? clientCa = null) =>
        SimulatorNode.StartAsync(new SimulatorOptions
        {
            Name = name,
            Address = IPAddress.Parse(address),
            CertificatePath = certificate ?? RepoPaths.SampleCert(name + ".crt"),
            KeyPath = key ?? RepoPaths.SampleCert(name + ".key"),
            ClientCaPath = clientCa ?? RepoPaths.SampleCert("ca.crt"),
            InitialMode = mode,
        });
}
