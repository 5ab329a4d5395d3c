using System.Net;
using System.Text.RegularExpressions;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

/// <summary>Cisco's installer env files (Fixtures/cisco/) must load unchanged with <c>--env-dir</c>.</summary>
public partial class CiscoFixtureTests
{
    private const string SslDir = "/usr/local/openresty/nginx/ssl";

    private static readonly string Dir = RepositoryPaths.CiscoFixture;

    private static (EnvSet Env, EdgeProxySettings? Settings, List<ConfigError> Errors, List<ConfigNotice> Notices) Load()
    {
        var env = EnvLoader.Load(new EnvSources([], [Dir]), TestEnv.NoProcessEnvironment);
        var errors = new List<ConfigError>(env.Errors);
        var notices = new List<ConfigNotice>(env.Notices);
        var settings = SettingsBinder.Bind(env, errors, notices);
        return (env, settings, errors, notices);
    }

    [Fact]
    public void Load_CiscoDirectory_NoErrors()
    {
        var (_, settings, errors, _) = Load();

        Assert.Empty(errors);
        Assert.NotNull(settings);
    }

    [Fact]
    public void Load_CiscoDirectory_ReadsFilesInNameOrderExceptFinesse()
    {
        var (env, _, _, _) = Load();

        Assert.Equal(
            ["cloudconnect.env", "core.env", "dirs.env", "installer.env"],
            env.FilesRead.Select(Path.GetFileName));
    }

    [Fact]
    public void Load_CiscoDirectory_NoticesAreFinesseWarningIgnoredKeysHealthCheckVerifyAndConcurrency()
    {
        var (_, _, _, notices) = Load();

        var finesse = Path.Combine(Dir, "finesse.env");
        Assert.Equal(
            [
                $"warning: {finesse}: TEMPLATE_TYPE=finesse is not a Cloud Connect component file; ignored",
                "warning: NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY=FALSE is ignored: health probes always use the same verified mutual TLS as traffic",
            ],
            notices.Where(n => n.IsWarning).Select(n => n.ToString()));
        Assert.Equal(2, notices.Count(n => !n.IsWarning));
        Assert.Contains("info: NGX_CLOUDCONNECT_HEALTHCHECK_CONCURRENCY=2 has no effect: EdgeProxy always probes the two nodes concurrently", notices.Select(n => n.ToString()));
    }

    [Fact]
    public void Load_CiscoDirectory_InfoNoticeListsExactlyTheForeignKeysOfTheUsedFiles()
    {
        var (_, _, _, notices) = Load();

        // Independent oracle: every KEY= of the files that are used, minus what EdgeProxy honours.
        var expected = new[] { "cloudconnect.env", "core.env", "dirs.env", "installer.env" }
            .SelectMany(f => File.ReadLines(Path.Combine(Dir, f)))
            .Select(line => AssignmentPattern().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Where(k => k != EnvLoader.TemplateTypeKey && PropertyCatalog.Find(k) is null)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var info = Assert.Single(notices, n => !n.IsWarning && n.Message.StartsWith("ignored ", StringComparison.Ordinal));

        Assert.Equal($"ignored {expected.Count} key(s) EdgeProxy does not use: {string.Join(", ", expected)}", info.Message);
        Assert.Contains("NGX_JWT_SECRET", expected);
        Assert.Contains("CONTAINER_NAME", expected);
        Assert.DoesNotContain("NGX_PRXY_FIN_HOSTNAME", info.Message);
        // Cisco's core.env keys EdgeProxy honours are not "ignored".
        Assert.DoesNotContain("NGX_LIMIT_REQ_DRY_RUN", info.Message);
        Assert.DoesNotContain("NGX_PRXY_STATUS_IP", info.Message);
        Assert.DoesNotContain(EnvLoader.TemplateTypeKey, info.Message);
    }

    [Fact]
    public void Load_CiscoDirectory_SettingsCarryTheFixtureValues()
    {
        var (env, settings, _, _) = Load();
        var s = settings!;

        Assert.Equal(443, s.Port);
        Assert.Equal("reverseproxy.host.domain", s.ExternalHostName);
        Assert.Equal(new NodeAddress("cloudconnect.host.domain", 8445), s.Publisher);
        Assert.Equal(new NodeAddress("cloudconnct.failover.hostname", 8445), s.Subscriber);
        Assert.Null(s.BindAddress);
        Assert.Equal(IPAddress.Loopback, s.InternalBindAddress);
        Assert.Equal(10001, s.StatusPort);
        Assert.Equal(12, s.ClientNetworks.Count);
        Assert.Equal(
            PropertyCatalog.CiscoDefaultClientIps.Split('|').Select(a => a + "/32").Order(),
            s.ClientNetworks.Select(n => n.ToString()).Order());
        Assert.Equal(IPNetwork.Parse("35.161.238.252/32"), s.ClientNetworks[0]);
        Assert.Empty(s.LoadBalancerNetworks);
        Assert.Null(s.RealIpHeader);
        Assert.False(s.TrafficRestricted);
        Assert.Equal(["192.168.1.69/32", "192.168.1.169/32", "127.0.0.1/32"], s.RateLimitExemptNetworks.Select(n => n.ToString()));
        Assert.Equal(new RequestRate(100, TimeSpan.FromSeconds(1)), s.DrRate);
        Assert.Equal(200, s.DrBurst);
        Assert.Equal(new RequestRate(5, TimeSpan.FromMinutes(1)), s.UserSyncRate);
        Assert.Equal(10, s.UserSyncBurst);
        Assert.Equal(15L << 20, s.MaxBodySize);
        Assert.Equal(TimeSpan.FromSeconds(20), s.KeepaliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), s.HealthCheckInterval);
        Assert.Equal([200], s.HealthCheckCodes);
        Assert.Equal("/drapi/v1/ping", s.HealthCheckPath);

        Assert.Equal($"{SslDir}/reverseproxy.crt", s.ServerCertificatePath);
        Assert.Equal($"{SslDir}/reverseproxy.key", s.ServerKeyPath);
        Assert.Equal($"{SslDir}/upstreams_cloudconnect_trust.crt", s.TrustBundlePath);
        Assert.Equal(s.ServerCertificatePath, s.UpstreamClientCertificatePath);
        Assert.Equal(s.ServerKeyPath, s.UpstreamClientKeyPath);
        Assert.Equal(Path.Combine(Dir, "cloudconnect.env"), env.Values[PropertyCatalog.TrustBundle.Name].Origin.Source);

        // Cisco's core.env keys EdgeProxy honours, at Cisco's values.
        Assert.False(s.RateLimitDryRun);
        Assert.False(s.ConnectionLimitDryRun);
        Assert.Equal(503, s.ConnectionLimitStatus);
        Assert.Equal("NGX_PRXY_STATUS_IP", PropertyCatalog.InternalBindingIp.Assignment(env)!.Key);
    }

    [Fact]
    public void Load_CiscoDirectory_ValuesComeFromTheRightFileAndLine()
    {
        var (env, _, _, _) = Load();

        AssertOrigin(env, PropertyCatalog.ServerCertificate.Name, "cloudconnect.env");
        AssertOrigin(env, PropertyCatalog.DrRate.Name, "core.env");
        AssertOrigin(env, PropertyCatalog.UserSyncRate.Name, "core.env");
        AssertOrigin(env, PropertyCatalog.BindingIp.Name, "installer.env");
        AssertOrigin(env, "NGX_PRXY_STATUS_IP", "core.env");
        AssertOrigin(env, PropertyCatalog.LimitConnStatus.Name, "core.env");
    }

    [Fact]
    public void Load_CiscoFilesAsEnvOptions_SameValues()
    {
        var files = new[] { "cloudconnect.env", "core.env", "dirs.env" }.Select(f => Path.Combine(Dir, f)).ToList();

        var env = EnvLoader.Load(new EnvSources(files, []), TestEnv.NoProcessEnvironment);

        Assert.Empty(env.Errors);
        Assert.Equal($"{SslDir}/reverseproxy.crt", env.Values[PropertyCatalog.ServerCertificate.Name].Value);
    }

    private static void AssertOrigin(EnvSet env, string key, string file)
    {
        var path = Path.Combine(Dir, file);
        var origin = env.Values[key].Origin;
        Assert.Equal(path, origin.Source);
        var line = File.ReadLines(path).ElementAt(origin.Line - 1);
        Assert.StartsWith(key + "=", line);
    }

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex AssignmentPattern();
}
