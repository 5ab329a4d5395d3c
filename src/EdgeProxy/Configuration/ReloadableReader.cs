namespace EdgeProxy.Configuration;

/// <summary>Gives <see cref="ReloadableSettings"/> the reloadable properties and nothing else, so the compiler keeps the split.</summary>
public readonly struct ReloadableReader(SettingsReader reader)
{
    public T Read<T>(ReloadableProperty<T> property) => reader.Get(property);
}
