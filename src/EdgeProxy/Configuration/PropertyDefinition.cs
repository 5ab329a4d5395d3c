namespace EdgeProxy.Configuration;

/// <summary>
/// One env property EdgeProxy honours: the single owner of its name, aliases, default, reload behaviour,
/// masking and description. Binding, <c>check</c>, did-you-mean, reload and the docs/configuration.md test all read it.
/// </summary>
public abstract class PropertyDefinition
{
    private protected PropertyDefinition(string name, string? defaultValue, ReloadBehavior reload, string description, PropertyFlags flags, IReadOnlyList<string>? aliases)
    {
        Name = name;
        Default = defaultValue;
        Reload = reload;
        Description = description;
        Required = flags.HasFlag(PropertyFlags.Required);
        Masked = flags.HasFlag(PropertyFlags.Masked);
        Aliases = aliases ?? [];
        Names = [name, .. Aliases];
    }

    /// <summary>The env key.</summary>
    public string Name { get; }

    /// <summary>Other keys for the same setting (Cisco spells some two ways); setting two of them differently is an error.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The key, then its aliases.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The raw default value, or null when the property is required or has no value by default.</summary>
    public string? Default { get; }

    /// <summary>How a change applies.</summary>
    public ReloadBehavior Reload { get; }

    /// <summary>One line for the operator.</summary>
    public string Description { get; }

    /// <summary>Whether start-up fails without it.</summary>
    public bool Required { get; }

    /// <summary>Whether <c>check</c> hides the value (private key paths).</summary>
    public bool Masked { get; }

    /// <summary>The first non-blank assignment of the key or one of its aliases; null when none is set.</summary>
    public EnvEntry? Assignment(EnvSet env)
    {
        foreach (var name in Names)
        {
            if (env.Values.TryGetValue(name, out var entry) && entry.Value.Trim().Length > 0)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The effective raw value (assignment or default) and where it came from.</summary>
    public (string? Value, EnvOrigin Origin, string Key) Effective(EnvSet env) =>
        Assignment(env) is { } entry ? (entry.Value, entry.Origin, entry.Key) : (Default, EnvOrigin.Default, Name);
}
