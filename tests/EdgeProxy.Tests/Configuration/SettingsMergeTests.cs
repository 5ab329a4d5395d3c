using System.Collections;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;

namespace EdgeProxy.Tests.Configuration;

public sealed class SettingsMergeTests
{
    // A valid value different from the default for every restart-only key.
    private static readonly Dictionary<string, string> ChangedRestartValues = new()
    {
        [PropertyCatalog.Port.Name] = "8443",
        [PropertyCatalog.ExternalHostName.Name] = "other-proxy.example.com",
        [PropertyCatalog.BindingIp.Name] = "10.0.0.1",
        [PropertyCatalog.InternalBindingIp.Name] = "127.0.0.2",
        [PropertyCatalog.StatusPort.Name] = "10002",
        [PropertyCatalog.Publisher.Name] = "publisher2.example.com",
        [PropertyCatalog.Subscriber.Name] = "subscriber2.example.com:9445",
        [PropertyCatalog.SslVerifyDepth.Name] = "5",
        [PropertyCatalog.SslProtocols.Name] = "TLSv1.3",
        [PropertyCatalog.HealthCheckApi.Name] = "/drapi/v1/health",
        [PropertyCatalog.UpstreamKeepalive.Name] = "10",
        [PropertyCatalog.ClientHeaderTimeout.Name] = "5s",
        [PropertyCatalog.ClientBodyTimeout.Name] = "5s",
        [PropertyCatalog.KeepaliveTimeout.Name] = "5s",
        [PropertyCatalog.KeepaliveRequests.Name] = "10",
        [PropertyCatalog.Http2MaxStreams.Name] = "10",
        [PropertyCatalog.DrPaths.Name] = "/drapi2/",
        [PropertyCatalog.DataConnPaths.Name] = "/dataconn2/",
        [PropertyCatalog.TrackingHeader.Name] = "X-Track",
        [PropertyCatalog.LogFormat.Name] = "text",
        [PropertyCatalog.Environment.Name] = "lab",
        ["NGX_PRXY_STATUS_IP"] = "127.0.0.3",
    };

    // A valid value different from the default for the new Cisco keys, all hot.
    private static readonly Dictionary<string, string> ChangedHotValues = new()
    {
        [PropertyCatalog.LimitReqDryRun.Name] = "on",
        [PropertyCatalog.LimitConnDryRun.Name] = "on",
        [PropertyCatalog.LimitConnStatus.Name] = "429",
        [PropertyCatalog.HealthCheckConcurrency.Name] = "4",
        [PropertyCatalog.LimitReqStatus.Name] = "503",
    };

    [Fact]
    public void ChangedRestartValues_CoverEveryRestartOnlyKeyAndAliasOfTheCatalog()
    {
        // NGX_PRXY_SSL_VERIFY has one valid value ("on"), so it cannot change.
        var restartKeys = PropertyCatalog.All.Where(p => p.Reload == ReloadBehavior.Restart && p != PropertyCatalog.SslVerify).SelectMany(p => p.Names);

        Assert.Equal(restartKeys.Order(), ChangedRestartValues.Keys.Order());
    }

    public static TheoryData<string> RestartKeys => new(ChangedRestartValues.Keys);

    public static TheoryData<string> HotKeys => new(ChangedHotValues.Keys);

    [Theory]
    [MemberData(nameof(RestartKeys))]
    public void RestartOnlyChanges_RestartKeyChanged_ListedUnderItsPropertyName(string key)
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys);
        var loaded = TestEnv.Bind(directory, $"{TestEnv.RequiredKeys}\n{key}={ChangedRestartValues[key]}");
        Assert.Empty(loaded.Errors);
        var name = PropertyCatalog.Find(key)!.Name;

        Assert.Equal([name], SettingsMerge.RestartOnlyChanges(running.Env, loaded.Env));
        Assert.Equal([name], SettingsMerge.Changes(running.Env, loaded.Env));
    }

    [Theory]
    [MemberData(nameof(HotKeys))]
    public void RestartOnlyChanges_HotKeyChanged_NoneButListedAsChanged(string key)
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys);
        var loaded = TestEnv.Bind(directory, $"{TestEnv.RequiredKeys}\n{key}={ChangedHotValues[key]}");
        Assert.Empty(loaded.Errors);

        Assert.Empty(SettingsMerge.RestartOnlyChanges(running.Env, loaded.Env));
        Assert.Equal([key], SettingsMerge.Changes(running.Env, loaded.Env));
    }

    [Fact]
    public void Changes_ValueMovedFromKeyToItsAlias_NothingChanged()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\nPROXY_BINDING_INTERNAL_IP=127.0.0.2").Env;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\nNGX_PRXY_STATUS_IP=127.0.0.2").Env;

        Assert.Empty(SettingsMerge.Changes(running, loaded));
    }

    [Fact]
    public void KeepRestartOnly_EveryRestartKeyChanged_KeepsTheRunningStartupPartWhole()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Settings!;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\n" + string.Join('\n', ChangedRestartValues.Where(p => p.Key != "NGX_PRXY_STATUS_IP").Select(p => $"{p.Key}={p.Value}"))).Settings!;
        // VerifyNodeCertificates has one valid value.
        Assert.Equal(typeof(StartupSettings).GetProperties().Select(p => p.Name).Where(n => n != "VerifyNodeCertificates").Order(), Differences(running.Startup, loaded.Startup).Order());

        var merged = SettingsMerge.KeepRestartOnly(running, loaded);

        Assert.Same(running.Startup, merged.Startup);
        Assert.Same(loaded.Reloadable, merged.Reloadable);
        Assert.Empty(Differences(running, merged));
    }

    [Fact]
    public void KeepRestartOnly_HotKeysChanged_TakesTheLoadedValues()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Settings!;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys +
            "\nNGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503\nNGX_CLOUDCONNECT_CLIENT_IPS=192.0.2.1\nNGX_ERR_LOG_LEVEL=warn\nNGX_LIMIT_REQ_DRY_RUN=on\nNGX_LIMIT_CONN_DRY_RUN=on\nNGX_LIMIT_CONN_STATUS=429").Settings!;

        var merged = SettingsMerge.KeepRestartOnly(running, loaded);

        Assert.Equal(
            ["ClientNetworks", "ConnectionLimitDryRun", "ConnectionLimitStatus", "LimitReqStatus", "LogLevel", "RateLimitDryRun"],
            Differences(running, merged).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RestartOnlyChanges_ListsExactlyTheRestartKeysThatChanged()
    {
        using var directory = new TempDirectory();
        var running = TestEnv.Bind(directory, TestEnv.RequiredKeys).Env;
        var loaded = TestEnv.Bind(directory, TestEnv.RequiredKeys + "\nNGX_PRXY_CLOUDCONNECT_PORT=8443\nNGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503").Env;

        Assert.Equal([PropertyCatalog.Port.Name], SettingsMerge.RestartOnlyChanges(running, loaded));
        Assert.Equal([PropertyCatalog.LimitReqStatus.Name, PropertyCatalog.Port.Name], SettingsMerge.Changes(running, loaded).Order(StringComparer.Ordinal));
    }

    // Property names whose values differ (lists compared by content).
    // The parts themselves are compared through the values they forward.
    private static List<string> Differences<T>(T a, T b) =>
        [.. typeof(T).GetProperties()
            .Where(p => p.PropertyType != typeof(StartupSettings) && p.PropertyType != typeof(ReloadableSettings) && !SameValue(p.GetValue(a), p.GetValue(b)))
            .Select(p => p.Name)];

    private static bool SameValue(object? x, object? y) =>
        x is IEnumerable xs and not string && y is IEnumerable ys and not string
            ? xs.Cast<object>().SequenceEqual(ys.Cast<object>())
            : Equals(x, y);
}
