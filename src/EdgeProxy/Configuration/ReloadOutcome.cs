namespace EdgeProxy.Configuration;

/// <summary>What a reload did.</summary>
public enum ReloadStatus
{
    /// <summary>Files unchanged (same version): nothing to do.</summary>
    Unchanged,

    /// <summary>The new configuration is active.</summary>
    Applied,

    /// <summary>The new files are invalid; the running configuration stays.</summary>
    Rejected,
}

/// <summary>The result of one reload, for logs, metrics and tests.</summary>
public sealed record ReloadOutcome(ReloadStatus Status, string Version, IReadOnlyList<string> ChangedKeys, IReadOnlyList<string> RestartRequired, IReadOnlyList<ConfigError> Errors);
