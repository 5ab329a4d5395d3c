namespace EdgeProxy.Configuration;

/// <summary>Gives <see cref="StartupSettings"/> the start-up properties and nothing else, so the compiler keeps the split.</summary>
public readonly struct StartupReader(SettingsReader reader)
{
    public T Read<T>(StartupProperty<T> property) => reader.Get(property);
}
