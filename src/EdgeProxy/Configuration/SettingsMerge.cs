namespace EdgeProxy.Configuration;

/// <summary>
/// What a reload may change on a running proxy: the hot-reloadable settings of the new configuration,
/// with every restart-only setting (listeners, nodes, routes, Kestrel limits) kept from the running one.
/// A unit test checks this list against the catalog's <see cref="ReloadBehavior.Restart"/> entries.
/// </summary>
public static class SettingsMerge
{
    public static EdgeProxySettings KeepRestartOnly(EdgeProxySettings running, EdgeProxySettings loaded) => loaded with
    {
        BindAddress = running.BindAddress,
        Port = running.Port,
        ExternalHostName = running.ExternalHostName,
        InternalBindAddress = running.InternalBindAddress,
        StatusPort = running.StatusPort,
        Publisher = running.Publisher,
        Subscriber = running.Subscriber,
        VerifyDepth = running.VerifyDepth,
        InboundProtocols = running.InboundProtocols,
        HealthCheckPath = running.HealthCheckPath,
        UpstreamKeepalive = running.UpstreamKeepalive,
        ClientHeaderTimeout = running.ClientHeaderTimeout,
        ClientBodyTimeout = running.ClientBodyTimeout,
        KeepaliveTimeout = running.KeepaliveTimeout,
        KeepaliveRequests = running.KeepaliveRequests,
        Http2MaxConcurrentStreams = running.Http2MaxConcurrentStreams,
        DrPaths = running.DrPaths,
        DataConnPaths = running.DataConnPaths,
        TrackingHeader = running.TrackingHeader,
        LogFormat = running.LogFormat,
        IsLab = running.IsLab,
    };

    /// <summary>Restart-only keys whose effective value differs between two env sets.</summary>
    public static IReadOnlyList<string> RestartOnlyChanges(EnvSet running, EnvSet loaded)
    {
        var before = ConfigurationLoader.Effective(running).ToDictionary(e => e.Property.Name, e => e.Value);
        return [.. ConfigurationLoader.Effective(loaded)
            .Where(e => e.Property.Reload == ReloadBehavior.Restart && before[e.Property.Name] != e.Value)
            .Select(e => e.Property.Name)];
    }

    /// <summary>Keys whose effective value differs, for the reload log line.</summary>
    public static IReadOnlyList<string> Changes(EnvSet running, EnvSet loaded)
    {
        var before = ConfigurationLoader.Effective(running).ToDictionary(e => e.Property.Name, e => e.Value);
        return [.. ConfigurationLoader.Effective(loaded).Where(e => before[e.Property.Name] != e.Value).Select(e => e.Property.Name)];
    }
}
