using System.Collections;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

public sealed class SettingsMergeTests
{
    // A valid value different from the default for every restart-only key.
    private static readonly Dictionary<string, string> ChangedRestartValues = new()
    {
        [EnvKeys.Port] = "8443",
        [EnvKeys.ExternalHostName] = "other-proxy.example.com",
        [EnvKeys.BindingIp] = "10.0.0.1",
        [EnvKeys.InternalBindingIp] = "127.0.0.2",
        [EnvKeys.StatusPort] = "10002",
        [EnvKeys.Publisher] = "publisher2.example.com",
        [EnvKeys.Subscriber] = "subscriber2.example.com:9445",
        [EnvKeys.SslVerifyDepth] = "5",
        [EnvKeys.SslProtocols] = "TLSv1.3",
        [EnvKeys.HealthCheckApi] = "/drapi/v1/health",
        [EnvKeys.UpstreamKeepalive] = "10",
        [EnvKeys.ClientHeaderTimeout] = "5s",
        [EnvKeys.ClientBodyTimeout] = "5s",
        [EnvKeys.KeepaliveTimeout] = "5s",
        [EnvKeys.KeepaliveRequests] = "10",
        [EnvKeys.Http2MaxStreams] = "10",
        [EnvKeys.DrPaths] = "/drapi2/",
        [EnvKeys.DataConnPaths] = "/dataconn2/",
        [EnvKeys.TrackingHeader] = "X-Track",
        [EnvKeys.LogFormat] = "text",
        [EnvKeys.Environment] = "lab",
    };

    [Fact]
    public void ChangedRestartValues_CoverEveryRestartOnlyKeyOfTheCatalog()
    {
        // NGX_PRXY_SSL_VERIFY has one valid value ("on"), so it cannot change.
        var restartKeys = PropertyCatalog.All.Where(p => p.Reload == ReloadBehavior.Restart && p.Name != EnvKeys.SslVerify).Select(p => p.Name);

        Assert.Equal(restartKeys.Order(), ChangedRestartValues.Keys.Order());
    }

    [Fact]
    public void KeepRestartOnly_EveryRestartKeyChanged_KeepsTheRunningSettings()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Settings!;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\n" + string.Join('\n', ChangedRestartValues.Select(p => $"{p.Key}={p.Value}"))).Settings!;
        Assert.NotEmpty(Differences(running, loaded));

        var merged = SettingsMerge.KeepRestartOnly(running, loaded);

        Assert.Empty(Differences(running, merged));
    }

    [Fact]
    public void KeepRestartOnly_HotKeysChanged_TakesTheLoadedValues()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Settings!;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\nNGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503\nNGX_CLOUDCONNECT_CLIENT_IPS=192.0.2.1\nNGX_ERR_LOG_LEVEL=warn").Settings!;

        var merged = SettingsMerge.KeepRestartOnly(running, loaded);

        Assert.Equal(["ClientNetworks", "LimitReqStatus", "LogLevel"], Differences(running, merged).Order());
    }

    [Fact]
    public void RestartOnlyChanges_ListsExactlyTheRestartKeysThatChanged()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Env;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\nNGX_PRXY_CLOUDCONNECT_PORT=8443\nNGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503").Env;

        Assert.Equal([EnvKeys.Port], SettingsMerge.RestartOnlyChanges(running, loaded));
        Assert.Equal([EnvKeys.LimitReqStatus, EnvKeys.Port], SettingsMerge.Changes(running, loaded).Order(StringComparer.Ordinal));
    }

    // Property names whose values differ (lists compared by content).
    private static List<string> Differences(EdgeProxySettings a, EdgeProxySettings b) =>
        [.. typeof(EdgeProxySettings).GetProperties().Where(p => !SameValue(p.GetValue(a), p.GetValue(b))).Select(p => p.Name)];

    private static bool SameValue(object? x, object? y) =>
        x is IEnumerable xs and not string && y is IEnumerable ys and not string
            ? xs.Cast<object>().SequenceEqual(ys.Cast<object>())
            : Equals(x, y);
}
