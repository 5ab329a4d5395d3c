namespace EdgeProxy.Configuration;

/// <summary>Where a configuration value came from: a file and line, the process environment, or the built-in default.</summary>
public readonly record struct EnvOrigin(string Source, int Line)
{
    /// <summary>The origin of values taken from the process environment.</summary>
    public static EnvOrigin Environment { get; } = new("environment", 0);

    /// <summary>The origin of built-in defaults.</summary>
    public static EnvOrigin Default { get; } = new("default", 0);

    public bool IsFile => Line > 0;

    public override string ToString() => Line > 0 ? $"{Source}:{Line}" : Source;
}
