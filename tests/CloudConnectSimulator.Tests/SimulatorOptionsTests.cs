using System.Net;

namespace CloudConnectSimulator.Tests;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public async Task StartAsync_NonLoopbackAdminAddress_RefusedWithClearError()
    {
        using var pki = EdgeProxy.Testing.TestPki.Create();
        var node = pki.Issue("node.test");
        var options = new SimulatorOptions
        {
            Address = IPAddress.Any,
            CertificatePath = node.CertPath,
            KeyPath = node.KeyPath,
            ClientCaPath = pki.CaPath,
        };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorNode.StartAsync(options));

        Assert.Contains("0.0.0.0 is not a loopback address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var options = new SimulatorOptions
        {
            Name = "",
            HttpsPort = 70000,
            AdminAddress = IPAddress.Parse("10.1.2.3"),
            CertificatePath = "/nonexistent/node.crt",
            Delay = TimeSpan.FromSeconds(-1),
        };
        options.QueueLimits["chat"] = -1;

        var errors = SimulatorOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.Contains("name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("70000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("10.1.2.3", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/nonexistent/node.crt", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("server key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("client CA", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("delay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("chat=-1", StringComparison.Ordinal));
    }

    [Fact]
    public void QueueLimits_Default_HundredPerDigitalChannelCaseInsensitive()
    {
        var options = new SimulatorOptions();

        Assert.Equal(100, options.QueueLimits["CHAT"]);
        Assert.Equal(["chat", "email", "sms", "social"], options.QueueLimits.Keys.Order());
    }
}
