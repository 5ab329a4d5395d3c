using System.Text.RegularExpressions;
using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using EdgeProxy.Testing;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Hosting;

public sealed partial class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = TestPki.Create("Check Test CA");
    private readonly IssuedCertificate _proxy;
    private readonly IssuedCertificate _client;

    public CheckCommandTests()
    {
        _proxy = _pki.Issue("proxy.example.com", notAfter: DateTimeOffset.UtcNow.AddDays(365));
        _client = _pki.Issue("proxy-client.example.com", notAfter: DateTimeOffset.UtcNow.AddDays(365));
    }

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    private string WriteEnv(string extra = "") => _dir.Write("edgeproxy.env", $"""
        NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy.example.com
        NGX_CLOUDCONNECT_HOSTNAME=publisher.example.com
        NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=subscriber.example.com
        NGX_SSL_CRT={_proxy.CertPath}
        NGX_SSL_KEY={_proxy.KeyPath}
        NGX_PRXY_SSL_TRUST_CRT={_pki.CaPath}
        {extra}
        """);

    private static (int ExitCode, string Output, LoadResult Result) Run(string envFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = ConfigurationLoader.Load(new EnvSources([envFile], []), environment ?? TestEnv.NoProcessEnvironment);
        using var output = new StringWriter();
        var exitCode = CheckCommand.Run(result, output);
        return (exitCode, output.ToString(), result);
    }

    [Fact]
    public void Run_ValidConfiguration_ExitZeroAndValidWithVersion()
    {
        var env = WriteEnv();

        var (exitCode, output, result) = Run(env);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Equal($"# read {env}", lines[0]);
        Assert.Equal($"configuration is valid (version {result.Configuration!.Version})", lines[^1]);
        Assert.DoesNotContain("error:", output);
    }

    [Fact]
    public void Run_InvalidConfiguration_ExitOneAndEveryErrorListed()
    {
        var env = WriteEnv("NGX_PRXY_CLOUDCONNECT_PORT=https\nNGX_CLIENT_MAX_BODY_SIZE=lots\nEDGEPROXY_LOG_FROMAT=text");

        var (exitCode, output, result) = Run(env);

        Assert.Equal(1, exitCode);
        Assert.Equal(3, result.Errors.Count);
        var lines = Lines(output);
        Assert.Equal(
            new[]
            {
                $"error: {env}:9: EDGEPROXY_LOG_FROMAT: unknown EdgeProxy key; did you mean EDGEPROXY_LOG_FORMAT?",
                $"error: {env}:7: NGX_PRXY_CLOUDCONNECT_PORT: 'https' is not a whole number from 0 to 65535",
                $"error: {env}:8: NGX_CLIENT_MAX_BODY_SIZE: 'lots' is not a size (e.g. 1048576, 512k, 15m, 1g)",
            }.Order(StringComparer.Ordinal),
            lines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("configuration is invalid: 3 error(s)", lines[^1]);
        Assert.DoesNotContain("configuration is valid", output);
    }

    [Fact]
    public void Run_MissingRequiredKeys_ExitOneAndEachNamed()
    {
        var env = _dir.Write("empty.env", "# nothing\n");

        var (exitCode, output, _) = Run(env);

        Assert.Equal(1, exitCode);
        foreach (var key in new[] { PropertyCatalog.ExternalHostName.Name, PropertyCatalog.Publisher.Name, PropertyCatalog.Subscriber.Name, PropertyCatalog.ServerCertificate.Name, PropertyCatalog.ServerKey.Name, PropertyCatalog.TrustBundle.Name })
        {
            Assert.Contains($"error: {key}: is required (", output);
        }

        Assert.EndsWith("configuration is invalid: 6 error(s)", output.TrimEnd());
    }

    [Fact]
    public void Run_PrivateKeyPaths_MaskedNeverShown()
    {
        var env = WriteEnv($"EDGEPROXY_UPSTREAM_CLIENT_CRT={_client.CertPath}\nEDGEPROXY_UPSTREAM_CLIENT_KEY={_client.KeyPath}");

        var (exitCode, output, _) = Run(env);

        Assert.Equal(0, exitCode);
        var effective = Effective(output);
        Assert.Equal(("<masked>", $"{env}:5"), effective[PropertyCatalog.ServerKey.Name]);
        Assert.Equal(("<masked>", $"{env}:8"), effective[PropertyCatalog.UpstreamClientKey.Name]);
        Assert.Equal((_client.CertPath, $"{env}:7"), effective[PropertyCatalog.UpstreamClientCertificate.Name]);
        Assert.DoesNotContain(_proxy.KeyPath, output);
        Assert.DoesNotContain(_client.KeyPath, output);
        Assert.DoesNotContain(".key", output);
    }

    [Fact]
    public void Run_PrivateKeyPathFromEnvironment_Masked()
    {
        var env = WriteEnv();

        var (_, output, _) = Run(env, new Dictionary<string, string> { [PropertyCatalog.ServerKey.Name] = _proxy.KeyPath });

        Assert.Equal(("<masked>", "environment"), Effective(output)[PropertyCatalog.ServerKey.Name]);
        Assert.DoesNotContain(_proxy.KeyPath, output);
    }

    [Fact]
    public void Run_InvalidConfiguration_KeyPathStillMasked()
    {
        var env = WriteEnv("NGX_PRXY_CLOUDCONNECT_PORT=https");

        var (_, output, _) = Run(env);

        Assert.Equal("<masked>", Effective(output)[PropertyCatalog.ServerKey.Name].Value);
        Assert.DoesNotContain(_proxy.KeyPath, output);
    }

    [Fact]
    public void Run_EveryProperty_ShownOnceWithOrigin()
    {
        var env = WriteEnv("NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=300\nNGX_ERR_LOG_LEVEL=");

        var (_, output, _) = Run(env, new Dictionary<string, string> { [PropertyCatalog.LogFormat.Name] = "text" });

        var effective = Effective(output);
        Assert.Equal(PropertyCatalog.All.Select(p => p.Name).Order(), effective.Keys.Order());
        Assert.Equal(("proxy.example.com", $"{env}:1"), effective[PropertyCatalog.ExternalHostName.Name]);
        Assert.Equal((_proxy.CertPath, $"{env}:4"), effective[PropertyCatalog.ServerCertificate.Name]);
        Assert.Equal(("300", $"{env}:7"), effective[PropertyCatalog.DrBurst.Name]);
        Assert.Equal(("443", "default"), effective[PropertyCatalog.Port.Name]);
        Assert.Equal(("100r/s", "default"), effective[PropertyCatalog.DrRate.Name]);
        Assert.Equal(("info", "default"), effective[PropertyCatalog.LogLevel.Name]);
        Assert.Equal(("text", "environment"), effective[PropertyCatalog.LogFormat.Name]);
        Assert.Equal(("(not set)", "default"), effective[PropertyCatalog.LoadBalancerIps.Name]);
        Assert.All(effective.Values, v => Assert.Matches(@"^(default|environment|.+:\d+)$", v.Origin));
    }

    [Fact]
    public void Run_ValueSetThroughAlias_ShownUnderTheKeyWithTheAliasNamed()
    {
        var env = WriteEnv("NGX_PRXY_STATUS_IP=127.0.0.2");

        var (exit, output, _) = Run(env);

        Assert.Equal(0, exit);
        Assert.Equal(("127.0.0.2", $"{env}:7 as NGX_PRXY_STATUS_IP"), Effective(output)[PropertyCatalog.InternalBindingIp.Name]);
        Assert.DoesNotContain(Lines(output), line => line.StartsWith("NGX_PRXY_STATUS_IP", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Notices_Printed()
    {
        var env = WriteEnv("NGX_JWT_SECRET=x\nNGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=FALSE");

        var (exitCode, output, _) = Run(env);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Contains("info: ignored 1 key(s) EdgeProxy does not use: NGX_JWT_SECRET", lines);
        Assert.Contains("warning: NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=FALSE is ignored: health probes always use the same verified mutual TLS as traffic", lines);
    }

    private static string[] Lines(string output) => output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    private static Dictionary<string, (string Value, string Origin)> Effective(string output)
    {
        var result = new Dictionary<string, (string, string)>();
        foreach (var line in Lines(output))
        {
            var match = EffectiveLine().Match(line);
            if (match.Success)
            {
                Assert.True(result.TryAdd(match.Groups[1].Value, (match.Groups[2].Value, match.Groups[3].Value)), "shown twice: " + match.Groups[1].Value);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^([A-Z][A-Z0-9_]+) += (.*?)  # (.+)$")]
    private static partial Regex EffectiveLine();
}
