using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Edge;

/// <summary>Inbound TLS versions and ciphers, checked with <c>openssl s_client</c> as an operator would.</summary>
public sealed class InboundTlsTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Theory]
    [InlineData("-tls1", false)]
    [InlineData("-tls1_1", false)]
    [InlineData("-tls1_2", true)]
    [InlineData("-tls1_3", true)]
    public async Task Handshake_ByVersion_OnlyTls12AndTls13Succeed(string version, bool succeeds)
    {
        // SECLEVEL=0 lets the client offer old versions, so a failure is the server's refusal.
        var (exitCode, output) = await OpenSslAsync(version, "-cipher", "DEFAULT@SECLEVEL=0");

        Assert.True(succeeds == (exitCode == 0), output);
        if (succeeds)
        {
            Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    // CBC suites the platform default would accept with the sample ECDSA certificate.
    [InlineData("ECDHE-ECDSA-AES128-SHA")]
    [InlineData("ECDHE-ECDSA-AES256-SHA")]
    [InlineData("ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("ECDHE-ECDSA-AES256-SHA384")]
    public async Task Handshake_WeakTls12Cipher_IsRefused(string cipher)
    {
        var (exitCode, output) = await OpenSslAsync("-tls1_2", "-cipher", cipher + "@SECLEVEL=0");

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("CONNECTION ESTABLISHED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_Tls12_NegotiatesAnAeadCipher()
    {
        var (exitCode, output) = await OpenSslAsync("-tls1_2");

        Assert.Equal(0, exitCode);
        Assert.Matches("Ciphersuite: ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)", output);
    }

    private Task<(int ExitCode, string Output)> OpenSslAsync(params string[] arguments) => OpenSslClient.ConnectAsync(_lab.PublicUri.Port, arguments);
}
