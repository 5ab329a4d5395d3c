namespace EdgeProxy.Configuration;

/// <summary>A property applied to new requests on reload. Only <see cref="ReloadableSettings"/> can read it.</summary>
public sealed class ReloadableProperty<T>(string name, string? defaultValue, ValueParser<T> parse, T unset, string description, PropertyFlags flags = PropertyFlags.None,
    bool fileContent = false)
    : Property<T>(name, defaultValue, fileContent ? ReloadBehavior.HotFile : ReloadBehavior.Hot, parse, unset, description, flags, null);
