using System.Globalization;
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


    /// <summary>
    /// Wait in <see cref="ProxyHarness.StartAsync"/> until the first probe round judged both nodes, so a test starts
    /// from the state its node modes imply rather than racing the first probes.
    /// </summary>
    public bool WaitForFirstProbes { get; set; } = true;

    /// <summary>Write the env file as a Kubernetes ConfigMap volume does (<see cref="ConfigMapVolume"/>).</summary>
    public bool ConfigMapLayout { get; set; }

    /// <summary>EdgeProxy's periodic read of its files; null: its default, infinite: file events only.</summary>
    public TimeSpan? ReloadCheckInterval { get; set; }

    /// <summary>Extra env lines (KEY=VALUE), written after the defaults so they win.</summary>
    public List<string> ExtraEnv { get; } = [];

    /// <summary>Sets the NGX_CLOUDCONNECT_HEALTHCHECK_* keys (milliseconds and counts).</summary>
    public HarnessOptions HealthCheck(int intervalMs, int timeoutMs = 5000, int rise = 2, int fall = 2)
    {
        ExtraEnv.Add("NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=" + intervalMs.ToString(CultureInfo.InvariantCulture));
        ExtraEnv.Add("NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT=" + timeoutMs.ToString(CultureInfo.InvariantCulture));
        ExtraEnv.Add("NGX_CLOUDCONNECT_HEALTHCHECK_RISE=" + rise.ToString(CultureInfo.InvariantCulture));
        ExtraEnv.Add("NGX_CLOUDCONNECT_HEALTHCHECK_FALL=" + fall.ToString(CultureInfo.InvariantCulture));
        return this;
    }
}
