namespace EdgeProxy.Configuration;

/// <summary>Reload log events; ids 1100-1199.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(1101, LogLevel.Information, "Configuration reloaded ({Trigger}): version {OldVersion} -> {NewVersion}, changed {ChangedKeys}")]
    public static partial void Reloaded(ILogger logger, string trigger, string oldVersion, string newVersion, string changedKeys);

    [LoggerMessage(1102, LogLevel.Error, "Configuration reload ({Trigger}) rejected, version {Version} stays active: {Error}")]
    public static partial void ReloadError(ILogger logger, string trigger, string version, string error);

    [LoggerMessage(1103, LogLevel.Warning, "Configuration reload ({Trigger}): restart required to apply {Keys}; they keep their running values until then")]
    public static partial void RestartRequired(ILogger logger, string trigger, string keys);

    [LoggerMessage(1104, LogLevel.Warning, "Configuration reload ({Trigger}): {Message}")]
    public static partial void ReloadNotice(ILogger logger, string trigger, string message);

    [LoggerMessage(1106, LogLevel.Information, "Configuration reload ({Trigger}): files unchanged, version {Version} stays active")]
    public static partial void Unchanged(ILogger logger, string trigger, string version);

    [LoggerMessage(1105, LogLevel.Error, "Watching configuration files failed; reload on SIGHUP still works")]
    public static partial void WatchFailed(ILogger logger, Exception exception);
}
