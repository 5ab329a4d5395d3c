using System.Globalization;
using EdgeProxy.Configuration;
using EdgeProxy.Testing;
using EdgeProxy.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private const string SampleWarning =
        "warning: !!! SAMPLE CERTIFICATES IN USE: the certs-sample/ keys are public. Anyone can impersonate this proxy or a node. " +
        "Use them only in the lab (EDGEPROXY_ENVIRONMENT=lab) !!!";

    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = TestPki.Create("Loader Test CA");
    private readonly IssuedCertificate _proxy;

    public ConfigurationLoaderTests()
    {
        // Valid for a year, so that no "expires soon" notice appears unless a test asks for one.
        _proxy = _pki.Issue("proxy.example.com", notAfter: DateTimeOffset.UtcNow.AddDays(365));
    }

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    private string WriteEnv(string certificate, string key, string? trust = null, string extra = "") =>
        _dir.Write("edgeproxy.env", $"""
            NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy.example.com
            NGX_CLOUDCONNECT_HOSTNAME=publisher.example.com
            NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=subscriber.example.com
            NGX_SSL_CRT={certificate}
            NGX_SSL_KEY={key}
            NGX_PRXY_SSL_TRUST_CRT={trust ?? _pki.CaPath}
            {extra}
            """);

    private static LoadResult Load(string envFile, IReadOnlyDictionary<string, string>? environment = null, TimeProvider? time = null) =>
        ConfigurationLoader.Load(new EnvSources([envFile], []), environment ?? TestEnv.NoProcessEnvironment, time);

    [Fact]
    public void Load_ValidCertificates_ConfigurationWithTwelveHexVersion()
    {
        var result = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Notices);
        var configuration = Assert.IsType<LoadedConfiguration>(result.Configuration);
        Assert.Matches("^[0-9a-f]{12}$", configuration.Version);
        Assert.Equal(_proxy.Certificate.Thumbprint, configuration.ServerCertificate.Certificate.Thumbprint);
        Assert.True(configuration.ServerCertificate.Certificate.HasPrivateKey);
        Assert.Empty(configuration.ServerCertificate.Intermediates);
        Assert.Equal(_proxy.Certificate.Thumbprint, configuration.UpstreamClientCertificate.Certificate.Thumbprint);
        Assert.True(configuration.UpstreamClientCertificate.Certificate.HasPrivateKey);
        Assert.Equal(_pki.CaCertificate.Thumbprint, Assert.Single(configuration.TrustedNodeCas).Thumbprint);
        Assert.Same(result.Env, configuration.Env);
    }

    [Fact]
    public void Load_SameInputsTwice_SameVersion()
    {
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath);

        Assert.Equal(Load(env).Configuration!.Version, Load(env).Configuration!.Version);
    }

    [Fact]
    public void Load_CertificateFileContentChanged_NewVersion()
    {
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath);
        var before = Load(env).Configuration!.Version;
        var renewed = _pki.Issue("proxy.example.com", notAfter: DateTimeOffset.UtcNow.AddDays(365));
        File.Copy(renewed.CertPath, _proxy.CertPath, overwrite: true);
        File.Copy(renewed.KeyPath, _proxy.KeyPath, overwrite: true);

        var after = Load(env).Configuration!;

        Assert.NotEqual(before, after.Version);
        Assert.Equal(renewed.Certificate.Thumbprint, after.ServerCertificate.Certificate.Thumbprint);
    }

    [Fact]
    public void Load_TrustBundleContentChanged_NewVersion()
    {
        var bundle = _dir.Write("trust.crt", File.ReadAllText(_pki.CaPath));
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, bundle);
        var before = Load(env).Configuration!.Version;
        using var otherPki = TestPki.Create("Another CA");
        File.AppendAllText(bundle, File.ReadAllText(otherPki.CaPath));

        var after = Load(env).Configuration!;

        Assert.NotEqual(before, after.Version);
        Assert.Equal(2, after.TrustedNodeCas.Count);
    }

    [Fact]
    public void Load_SettingChanged_NewVersion()
    {
        var before = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath)).Configuration!.Version;

        var after = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath, extra: "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=201")).Configuration!.Version;

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Load_CertificateFileMissing_OneErrorNamingNgxSslCrtAndItsLine()
    {
        var missing = Path.Combine(_dir.Path, "missing.crt");
        var env = WriteEnv(missing, _proxy.KeyPath);

        var result = Load(env);

        Assert.Null(result.Configuration);
        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.ServerCertificate.Name, error.Key);
        Assert.Equal(new EnvOrigin(env, 4), error.Origin);
        Assert.StartsWith($"{env}:4: NGX_SSL_CRT: cannot load '{missing}': ", error.ToString());
    }

    [Fact]
    public void Load_KeyFileMissing_OneErrorNamingNgxSslKeyAndItsLine()
    {
        var missing = Path.Combine(_dir.Path, "missing.key");
        var env = WriteEnv(_proxy.CertPath, missing);

        var result = Load(env);

        Assert.Null(result.Configuration);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"{env}:5: NGX_SSL_KEY: cannot load '{missing}': file not found", error.ToString());
    }

    [Fact]
    public void Load_TrustBundleMissing_ErrorNamingTheKey()
    {
        var missing = Path.Combine(_dir.Path, "missing-ca.crt");
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, missing);

        var result = Load(env);

        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.TrustBundle.Name, error.Key);
        Assert.Equal(new EnvOrigin(env, 6), error.Origin);
        Assert.StartsWith($"cannot load '{missing}': ", error.Message);
    }

    [Fact]
    public void Load_TrustBundleWithoutCertificate_Error()
    {
        var bundle = _dir.Write("empty-ca.crt", "# no certificate in here\n");
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, bundle);

        var result = Load(env);

        Assert.Equal($"{env}:6: NGX_PRXY_SSL_TRUST_CRT: cannot load '{bundle}': no PEM certificate found in the file", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_KeyDoesNotMatchCertificate_OneError()
    {
        var other = _pki.Issue("other.example.com");
        var env = WriteEnv(_proxy.CertPath, other.KeyPath);

        var result = Load(env);

        Assert.Null(result.Configuration);
        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.ServerCertificate.Name, error.Key);
        Assert.Equal(new EnvOrigin(env, 4), error.Origin);
        Assert.StartsWith($"cannot load '{_proxy.CertPath}': ", error.Message);
    }

    [Fact]
    public void Load_CertificateFileNotPem_Error()
    {
        var garbage = _dir.Write("garbage.crt", "this is not a certificate\n");
        var env = WriteEnv(garbage, _proxy.KeyPath);

        var result = Load(env);

        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.ServerCertificate.Name, error.Key);
        Assert.StartsWith($"cannot load '{garbage}': ", error.Message);
    }

    [Fact]
    public void Load_ExpiredCertificate_Error()
    {
        var expired = _pki.Issue("expired.example.com", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var env = WriteEnv(expired.CertPath, expired.KeyPath);

        var result = Load(env);

        Assert.Null(result.Configuration);
        var expiry = expired.Certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);
        Assert.Equal($"{env}:4: NGX_SSL_CRT: certificate 'CN=expired.example.com' expired on {expiry}", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_CertificateExpiredAtInjectedTime_Error()
    {
        var time = new FakeTimeProvider(_proxy.Certificate.NotAfter.ToUniversalTime().AddSeconds(1));

        var result = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath), time: time);

        Assert.Null(result.Configuration);
        Assert.Equal(PropertyCatalog.ServerCertificate.Name, Assert.Single(result.Errors).Key);
        Assert.StartsWith("certificate 'CN=proxy.example.com' expired on ", result.Errors[0].Message);
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(31, false)]
    public void Load_CertificateExpiresWithinThirtyDays_Warning(int daysLeft, bool warned)
    {
        var now = _proxy.Certificate.NotAfter.ToUniversalTime().AddDays(-daysLeft);

        var result = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath), time: new FakeTimeProvider(now));

        Assert.NotNull(result.Configuration);
        var expiry = _proxy.Certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);
        var expected = $"warning: NGX_SSL_CRT: certificate 'CN=proxy.example.com' expires on {expiry}";
        Assert.Equal(warned ? [expected] : [], result.Notices.Select(n => n.ToString()));
    }

    [Fact]
    public void Load_UpstreamClientCertificateWithoutClientAuth_Error()
    {
        var serverOnly = _pki.Issue("client.example.com", serverAuth: true, clientAuth: false, notAfter: DateTimeOffset.UtcNow.AddDays(365));
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, extra: $"EDGEPROXY_UPSTREAM_CLIENT_CRT={serverOnly.CertPath}\nEDGEPROXY_UPSTREAM_CLIENT_KEY={serverOnly.KeyPath}");

        var result = Load(env);

        Assert.Null(result.Configuration);
        Assert.Equal(
            $"{env}:7: EDGEPROXY_UPSTREAM_CLIENT_CRT: certificate 'CN=client.example.com' does not allow clientAuth (extended key usage)",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_ServerCertificateWithoutClientAuthUsedAsDefaultClientCertificate_ErrorOnNgxSslCrt()
    {
        var serverOnly = _pki.Issue("proxy.example.com", serverAuth: true, clientAuth: false, notAfter: DateTimeOffset.UtcNow.AddDays(365));
        var env = WriteEnv(serverOnly.CertPath, serverOnly.KeyPath);

        var result = Load(env);

        Assert.Equal(
            $"{env}:4: NGX_SSL_CRT: certificate 'CN=proxy.example.com' does not allow clientAuth (extended key usage)",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_ServerCertificateWithoutServerAuth_Error()
    {
        var clientOnly = _pki.Issue("proxy.example.com", serverAuth: false, clientAuth: true, notAfter: DateTimeOffset.UtcNow.AddDays(365));
        var env = WriteEnv(clientOnly.CertPath, clientOnly.KeyPath);

        var result = Load(env);

        Assert.Equal(
            $"{env}:4: NGX_SSL_CRT: certificate 'CN=proxy.example.com' does not allow serverAuth (extended key usage)",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_SeparateClientCertificate_UsedForUpstream()
    {
        var serverOnly = _pki.Issue("proxy.example.com", serverAuth: true, clientAuth: false, notAfter: DateTimeOffset.UtcNow.AddDays(365));
        var clientOnly = _pki.Issue("proxy-client.example.com", serverAuth: false, clientAuth: true, notAfter: DateTimeOffset.UtcNow.AddDays(365));
        var env = WriteEnv(serverOnly.CertPath, serverOnly.KeyPath, extra: $"EDGEPROXY_UPSTREAM_CLIENT_CRT={clientOnly.CertPath}\nEDGEPROXY_UPSTREAM_CLIENT_KEY={clientOnly.KeyPath}");

        var result = Load(env);

        Assert.Empty(result.Errors);
        Assert.Equal(serverOnly.Certificate.Thumbprint, result.Configuration!.ServerCertificate.Certificate.Thumbprint);
        Assert.Equal(clientOnly.Certificate.Thumbprint, result.Configuration.UpstreamClientCertificate.Certificate.Thumbprint);
    }

    [Fact]
    public void Load_SeparateClientCertificateExpired_ErrorOnClientKey()
    {
        var expired = _pki.Issue("proxy-client.example.com", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, extra: $"EDGEPROXY_UPSTREAM_CLIENT_CRT={expired.CertPath}\nEDGEPROXY_UPSTREAM_CLIENT_KEY={expired.KeyPath}");

        var result = Load(env);

        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.UpstreamClientCertificate.Name, error.Key);
        Assert.Equal(new EnvOrigin(env, 7), error.Origin);
        Assert.StartsWith("certificate 'CN=proxy-client.example.com' expired on ", error.Message);
    }

    [Fact]
    public void Load_SeparateClientKeyMissing_ErrorOnClientKeyProperty()
    {
        var missing = Path.Combine(_dir.Path, "client-missing.key");
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, extra: $"EDGEPROXY_UPSTREAM_CLIENT_CRT={_proxy.CertPath}\nEDGEPROXY_UPSTREAM_CLIENT_KEY={missing}");

        var result = Load(env);

        Assert.Equal($"{env}:8: EDGEPROXY_UPSTREAM_CLIENT_KEY: cannot load '{missing}': file not found", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_SeparateClientCertificateWithServerKey_MismatchOnClientCertificate()
    {
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, extra: $"EDGEPROXY_UPSTREAM_CLIENT_CRT={_pki.Issue("proxy-client.example.com").CertPath}");

        var result = Load(env);

        var error = Assert.Single(result.Errors);
        Assert.Equal(PropertyCatalog.UpstreamClientCertificate.Name, error.Key);
        Assert.Contains("does not match", error.Message);
    }

    [Fact]
    public void Load_CertificateWithoutExtendedKeyUsage_AllowedForBoth()
    {
        var anyUsage = _pki.Issue("proxy.example.com", serverAuth: false, clientAuth: false, notAfter: DateTimeOffset.UtcNow.AddDays(365));

        var result = Load(WriteEnv(anyUsage.CertPath, anyUsage.KeyPath));

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Configuration);
    }

    [Fact]
    public void Load_CertificateFileWithChain_IntermediatesLoaded()
    {
        var chained = _dir.Write("chained.crt", File.ReadAllText(_proxy.CertPath) + File.ReadAllText(_pki.CaPath));

        var result = Load(WriteEnv(chained, _proxy.KeyPath));

        var configuration = Assert.IsType<LoadedConfiguration>(result.Configuration);
        Assert.Equal(_proxy.Certificate.Thumbprint, configuration.ServerCertificate.Certificate.Thumbprint);
        Assert.Equal(_pki.CaCertificate.Thumbprint, Assert.Single(configuration.ServerCertificate.Intermediates).Thumbprint);
    }

    [Fact]
    public void Load_BindingErrors_CertificatesNotTouched()
    {
        // With a binding error the certificate files are not read, so only the binding error is reported.
        var env = WriteEnv("/does/not/exist.crt", "/does/not/exist.key", extra: "NGX_PRXY_CLOUDCONNECT_PORT=x");

        var result = Load(env);

        Assert.Equal(PropertyCatalog.Port.Name, Assert.Single(result.Errors).Key);
    }

    [Fact]
    public void Load_SampleCertificatesOutsideLab_LoudWarning()
    {
        var env = SampleEnv();

        var result = Load(env, time: WhileSamplesValid());

        Assert.NotNull(result.Configuration);
        Assert.False(result.Configuration.Settings.IsLab);
        Assert.Equal([SampleWarning], result.Notices.Where(n => n.IsWarning).Select(n => n.ToString()));
    }

    [Fact]
    public void Load_SampleCertificatesInLabFromEnvironment_NoWarning()
    {
        var env = SampleEnv();

        var result = Load(env, new Dictionary<string, string> { [PropertyCatalog.Environment.Name] = "lab" }, WhileSamplesValid());

        Assert.NotNull(result.Configuration);
        Assert.True(result.Configuration.Settings.IsLab);
        Assert.Empty(result.Notices);
    }

    [Fact]
    public void Load_SampleCaOnlyInTrustBundle_LoudWarning()
    {
        var env = WriteEnv(_proxy.CertPath, _proxy.KeyPath, Path.Combine(RepositoryPaths.SampleCertificates, "ca.crt"));

        var result = Load(env);

        Assert.Equal([SampleWarning], result.Notices.Select(n => n.ToString()));
    }

    [Fact]
    public void Load_OwnCertificates_NoSampleWarning()
    {
        var result = Load(WriteEnv(_proxy.CertPath, _proxy.KeyPath));

        Assert.DoesNotContain(result.Notices, n => n.Message.Contains("SAMPLE", StringComparison.Ordinal));
    }

    // The committed sample certificates expire one day; pin the clock so these tests do not.
    private static FakeTimeProvider WhileSamplesValid()
    {
        using var sample = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(RepositoryPaths.SampleCertificates, "proxy.crt")));
        return new FakeTimeProvider(sample.NotBefore.ToUniversalTime().AddDays(1));
    }

    private string SampleEnv()
    {
        var samples = RepositoryPaths.SampleCertificates;
        return WriteEnv(Path.Combine(samples, "proxy.crt"), Path.Combine(samples, "proxy.key"), Path.Combine(samples, "ca.crt"));
    }
}
