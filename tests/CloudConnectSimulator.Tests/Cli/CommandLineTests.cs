using System.Net;
using CloudConnectSimulator.Cli;
using EdgeProxy.Testing;

namespace CloudConnectSimulator.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly IssuedCertificate _node;

    public CommandLineTests() => _node = _pki.Issue("node.test");

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Parse_FullCommandLine_FillsOptions()
    {
        var result = CommandLine.Parse([
            "--node-name", "subscriber", "--listen", "127.0.0.11:8445", "--admin=127.0.0.11:18445",
            "--cert", _node.CertPath, "--key", _node.KeyPath, "--client-ca", _pki.CaPath,
            "--standby", "--delay-ms", "250", "--queue-limit", "chat=5", "--queue-limit", "email=7",
        ]);

        Assert.Empty(result.Errors);
        var options = result.Options!;
        Assert.Equal("subscriber", options.Name);
        Assert.Equal(IPAddress.Parse("127.0.0.11"), options.Address);
        Assert.Equal(8445, options.HttpsPort);
        Assert.Equal(IPAddress.Parse("127.0.0.11"), options.AdminAddress);
        Assert.Equal(18445, options.AdminPort);
        Assert.Equal(NodeMode.Standby, options.InitialMode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Delay);
        Assert.Equal(new Dictionary<string, int> { ["chat"] = 5, ["email"] = 7 }, options.QueueLimits);
    }

    [Theory]
    [InlineData("--name", "subscriber")]
    [InlineData("--name=subscriber", null)]
    [InlineData("--node-name=subscriber", null)]
    public void Parse_OlderNameSpellingOrInlineValue_SetsTheNodeName(string flag, string? value)
    {
        string[] name = value is null ? [flag] : [flag, value];
        var result = CommandLine.Parse([.. name, "--listen", "127.0.0.11:8445", "--cert", _node.CertPath, "--key", _node.KeyPath, "--client-ca", _pki.CaPath]);

        Assert.Empty(result.Errors);
        Assert.Equal("subscriber", result.Options!.Name);
    }

    [Fact]
    public void Parse_BothNameSpellings_OneError()
    {
        var result = CommandLine.Parse([
            "--node-name", "publisher", "--name", "subscriber",
            "--listen", "127.0.0.11:8445", "--cert", _node.CertPath, "--key", _node.KeyPath, "--client-ca", _pki.CaPath,
        ]);

        Assert.Equal(["--node-name (or --name) is given more than once"], result.Errors);
    }

    [Fact]
    public void Parse_Ipv6Listen_Accepted()
    {
        var result = CommandLine.Parse(["--listen", "[::1]:8445", "--cert", _node.CertPath, "--key", _node.KeyPath, "--client-ca", _pki.CaPath]);

        Assert.Empty(result.Errors);
        Assert.Equal(IPAddress.IPv6Loopback, result.Options!.Address);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_RequestsUsage(string flag)
    {
        var result = CommandLine.Parse(["--bogus", flag]);

        Assert.True(result.ShowHelp);
    }

    [Fact]
    public void Parse_NothingGiven_ListsEveryRequiredFlag()
    {
        var result = CommandLine.Parse([]);

        Assert.Null(result.Options);
        Assert.Equal(["--listen is required", "--cert is required", "--key is required", "--client-ca is required"], result.Errors);
    }

    [Theory]
    [InlineData("--listen", "localhost:8445", "not IP:PORT")]
    [InlineData("--listen", "127.0.0.1", "not IP:PORT")]
    [InlineData("--delay-ms", "fast", "--delay-ms")]
    [InlineData("--queue-limit", "chat", "TYPE=N")]
    [InlineData("--frobnicate", "1", "unknown argument '--frobnicate'")]
    public void Parse_BadValue_ExplainsIt(string flag, string value, string expected)
    {
        var result = CommandLine.Parse(["--listen", "127.0.0.1:8445", "--cert", _node.CertPath, "--key", _node.KeyPath, "--client-ca", _pki.CaPath, flag, value]);

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingCertificateFile_ReportsThePath()
    {
        var result = CommandLine.Parse(["--listen", "127.0.0.1:8445", "--cert", "/nonexistent.crt", "--key", _node.KeyPath, "--client-ca", _pki.CaPath]);

        Assert.Contains(result.Errors, e => e.Contains("/nonexistent.crt", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ValueMissingAtEnd_SaysSo()
    {
        var result = CommandLine.Parse(["--listen"]);

        Assert.Contains("--listen needs a value", result.Errors);
    }

    [Fact]
    public async Task Main_BadArguments_ExitCode2()
    {
        Assert.Equal(2, await SimulatorProgram.Main(["--frobnicate"]));
    }
}
