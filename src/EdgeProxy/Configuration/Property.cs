namespace EdgeProxy.Configuration;

/// <summary>A property with its parser: what binding needs beyond the description.</summary>
public abstract class Property<T> : PropertyDefinition
{
    private protected Property(string name, string? defaultValue, ReloadBehavior reload, ValueParser<T> parse, T unset, string description, PropertyFlags flags,
        IReadOnlyList<string>? aliases)
        : base(name, defaultValue, reload, description, flags, aliases)
    {
        Parse = parse;
        Unset = unset;
    }

    /// <summary>Parses and validates a raw value.</summary>
    public ValueParser<T> Parse { get; }

    /// <summary>The value when neither set nor defaulted (an optional property without default, or a required one missing).</summary>
    public T Unset { get; }
}
