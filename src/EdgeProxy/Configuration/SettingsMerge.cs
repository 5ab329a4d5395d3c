namespace EdgeProxy.Configuration;

/// <summary>
/// What a reload may change on a running proxy, from the descriptors alone: the loaded configuration's
/// <see cref="ReloadableSettings"/> with the running <see cref="StartupSettings"/> carried over whole, and which
/// keys changed (restart-only ones are logged as "restart required").
/// </summary>
public static class SettingsMerge
{
    public static EdgeProxySettings KeepRestartOnly(EdgeProxySettings running, EdgeProxySettings loaded) => loaded.WithStartupOf(running);

    /// <summary>Restart-only keys whose effective value differs between two env sets.</summary>
    public static IReadOnlyList<string> RestartOnlyChanges(EnvSet running, EnvSet loaded) =>
        [.. Changed(running, loaded).Where(p => p.Reload == ReloadBehavior.Restart).Select(p => p.Name)];

    /// <summary>Keys whose effective value differs, for the reload log line.</summary>
    public static IReadOnlyList<string> Changes(EnvSet running, EnvSet loaded) => [.. Changed(running, loaded).Select(p => p.Name)];

    // An alias and its key are one setting: moving a value from one spelling to the other changes nothing.
    private static IEnumerable<PropertyDefinition> Changed(EnvSet running, EnvSet loaded) =>
        PropertyCatalog.All.Where(p => p.Effective(running).Value != p.Effective(loaded).Value);
}
