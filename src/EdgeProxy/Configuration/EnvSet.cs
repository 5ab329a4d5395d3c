namespace EdgeProxy.Configuration;

/// <summary>The merged result of reading every env source: the winning assignment per key.</summary>
public sealed class EnvSet
{
    public EnvSet(IReadOnlyDictionary<string, EnvEntry> values, IReadOnlyList<string> filesRead, IReadOnlyList<ConfigNotice> notices, IReadOnlyList<ConfigError> errors)
    {
        Values = values;
        FilesRead = filesRead;
        Notices = notices;
        Errors = errors;
    }

    /// <summary>Known keys with the assignment that won (later sources win).</summary>
    public IReadOnlyDictionary<string, EnvEntry> Values { get; }

    /// <summary>Every env file that contributed, in order (watched for reload).</summary>
    public IReadOnlyList<string> FilesRead { get; }

    public IReadOnlyList<ConfigNotice> Notices { get; }

    public IReadOnlyList<ConfigError> Errors { get; }
}
