using CloudConnectSimulator;

namespace EdgeProxy.IntegrationTests.Infrastructure;

/// <summary>How a <see cref="ProxyHarness"/> is set up; defaults are the lab's.</summary>
public sealed class HarnessOptions
{
    public string PublisherCertificate { get; set; } = RepoPaths.SampleCert("publisher.crt");
    public string PublisherKey { get; set; } = RepoPaths.SampleCert("publisher.key");
    public string PublisherListenAddress { get; set; } = "127.0.0.11";
    public string SubscriberListenAddress { get; set; } = "127.0.0.12";

    /// <summary>The publisher host written into the env file; defaults to the listen address.</summary>
    public string? PublisherHostInEnv { get; set; }

    /// <summary>The CA the simulators require client certificates to chain to.</summary>
    public string NodeClientCaPath { get; set; } = RepoPaths.SampleCert("ca.crt");

    public NodeMode PublisherMode { get; set; } = NodeMode.Active;
    public NodeMode SubscriberMode { get; set; } = NodeMode.Standby;

    /// <summary>Run EdgeProxy on an in-memory TestServer instead of Kestrel, so tests can inject the remote address.</summary>
    public bool UseTestServer { get; set; }

    /// <summary>Extra env lines (KEY=VALUE), written after the defaults so they win.</summary>
    public List<string> ExtraEnv { get; } = [];
}
