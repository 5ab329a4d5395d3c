using System.Net.Security;
using System.Runtime.Versioning;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using EdgeProxy.Testing;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Edge;

public sealed class TlsCipherPolicyTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, TlsCipherPolicy.FileName);

    private readonly TempDirectory _directory = new();
    private readonly TestPki _pki = TestPki.Create("Cipher Policy Test CA");

    public void Dispose()
    {
        _pki.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ShippedFile_IsRecognised_AndOnlyAllowsEcdheWithAead()
    {
        Assert.True(TlsCipherPolicy.IsEdgeProxyConfiguration(Shipped));
        var text = File.ReadAllText(Shipped);
        Assert.Contains("MinProtocol = TLSv1.2", text, StringComparison.Ordinal);
        Assert.Contains("CipherString = ECDHE+AESGCM:ECDHE+CHACHA20:", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unset", false)]
    [InlineData("empty", false)]
    [InlineData("missing file", false)]
    [InlineData("system default", false)]
    [InlineData("shipped, ciphers changed", false)]
    [InlineData("shipped, a line added", false)]
    [InlineData("shipped, copied", true)]
    [InlineData("shipped", true)]
    [SupportedOSPlatform("linux")] // Where EdgeProxy runs; on Windows and macOS it applies no policy of its own.
    public void OpensslConf_LeavesThePolicyToOpenSslOnlyForTheShippedFile(string opensslConf, bool leftToOpenSsl)
    {
        var fromOpenSsl = TlsCipherPolicy.IsEdgeProxyConfiguration(OpensslConfValue(opensslConf));

        var options = InboundTls.Options(LoadConfiguration(), fromOpenSsl);

        Assert.Equal(leftToOpenSsl, fromOpenSsl);
        if (leftToOpenSsl)
        {
            Assert.Null(options.CipherSuitesPolicy);
        }
        else
        {
            var allowed = Assert.IsType<CipherSuitesPolicy>(options.CipherSuitesPolicy).AllowedCipherSuites!.Select(s => s.ToString()).ToList();
            Assert.NotEmpty(allowed);
            Assert.All(allowed, IsEcdheWithAead);
        }
    }

    [Fact]
    public void Options_WhereverThePolicyApplies_AreOtherwiseTheSame()
    {
        var configuration = LoadConfiguration();

        var perConnection = InboundTls.Options(configuration, cipherPolicyFromOpenSsl: false);
        var openSsl = InboundTls.Options(configuration, cipherPolicyFromOpenSsl: true);

        foreach (var options in new[] { perConnection, openSsl })
        {
            Assert.Same(configuration.ServerCertificateContext, options.ServerCertificateContext);
            Assert.Equal(configuration.Settings.InboundProtocols, options.EnabledSslProtocols);
            Assert.False(options.ClientCertificateRequired);
            Assert.False(options.AllowRenegotiation);
            Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], options.ApplicationProtocols);
        }
    }

    // TLS 1.3 suites are all AEAD; TLS 1.2 ones must also use ECDHE key exchange.
    private static void IsEcdheWithAead(string suite)
    {
        Assert.True(suite.StartsWith("TLS_AES_", StringComparison.Ordinal)
            || suite.StartsWith("TLS_CHACHA20_", StringComparison.Ordinal)
            || suite.StartsWith("TLS_ECDHE_", StringComparison.Ordinal), suite);
        Assert.True(suite.Contains("_GCM_", StringComparison.Ordinal) || suite.Contains("_CHACHA20_POLY1305_", StringComparison.Ordinal), suite);
    }

    private string? OpensslConfValue(string name) => name switch
    {
        "unset" => null,
        "empty" => "",
        "missing file" => Path.Combine(_directory.Path, TlsCipherPolicy.FileName),
        "system default" => _directory.Write("openssl.cnf", "openssl_conf = default_conf\n\n[default_conf]\nssl_conf = ssl_sect\n"),
        "shipped, ciphers changed" => _directory.Write(TlsCipherPolicy.FileName, TlsCipherPolicy.ExpectedText.Replace("ECDHE+AESGCM:", "ALL:", StringComparison.Ordinal)),
        "shipped, a line added" => _directory.Write(TlsCipherPolicy.FileName, TlsCipherPolicy.ExpectedText + "Options = -SessionTicket\n"),
        "shipped, copied" => _directory.Write(TlsCipherPolicy.FileName, File.ReadAllText(Shipped)),
        "shipped" => Shipped,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private ActiveConfiguration LoadConfiguration()
    {
        var proxy = _pki.Issue("proxy.example.com");
        var env = _directory.Write("edgeproxy.env", $"""
            NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy.example.com
            NGX_CLOUDCONNECT_HOSTNAME=publisher.example.com
            NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=subscriber.example.com
            NGX_SSL_CRT={proxy.CertPath}
            NGX_SSL_KEY={proxy.KeyPath}
            NGX_PRXY_SSL_TRUST_CRT={_pki.CaPath}
            """);
        var loaded = ConfigurationLoader.Load(new EnvSources([env], []), TestEnv.NoProcessEnvironment);
        Assert.Empty(loaded.Errors);
        return new ActiveConfiguration(loaded.Configuration!, DateTimeOffset.UnixEpoch);
    }
}
