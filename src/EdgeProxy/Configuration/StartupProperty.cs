namespace EdgeProxy.Configuration;

/// <summary>
/// A property read once at start (listeners, nodes, routes, Kestrel limits). Only <see cref="StartupSettings"/> can read it,
/// so a reload cannot change it; a changed value is logged as "restart required".
/// </summary>
public sealed class StartupProperty<T>(string name, string? defaultValue, ValueParser<T> parse, T unset, string description, PropertyFlags flags = PropertyFlags.None,
    IReadOnlyList<string>? aliases = null)
    : Property<T>(name, defaultValue, ReloadBehavior.Restart, parse, unset, description, flags, aliases);
