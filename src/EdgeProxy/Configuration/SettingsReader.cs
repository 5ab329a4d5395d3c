namespace EdgeProxy.Configuration;

/// <summary>
/// Reads typed values from an env set through their descriptors: the assignment, else the default, parsed once
/// per property. Records every error with the key and origin of the value at fault instead of stopping.
/// </summary>
public sealed class SettingsReader(EnvSet env, List<ConfigError> errors)
{
    private readonly Dictionary<PropertyDefinition, object?> _values = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<PropertyDefinition> _failed = new(ReferenceEqualityComparer.Instance);

    /// <summary>The properties read so far (a test checks that binding reads every one).</summary>
    public IReadOnlyCollection<PropertyDefinition> Read => _values.Keys;

    /// <summary>Whether reading the property reported an error (its value is then the default, or unset).</summary>
    public bool Failed(PropertyDefinition property) => _failed.Contains(property);

    /// <summary>Whether the property (or an alias) is set to a non-blank value.</summary>
    public bool IsSet(PropertyDefinition property) => property.Assignment(env) is not null;

    /// <summary>Reports a rule about <paramref name="property"/> at the line that set it (no origin when it was not set).</summary>
    public void Error(PropertyDefinition property, string message)
    {
        var entry = property.Assignment(env) ?? env.Values.GetValueOrDefault(property.Name);
        errors.Add(new ConfigError(entry?.Origin, entry?.Key ?? property.Name, message));
    }

    public T Get<T>(Property<T> property)
    {
        if (!_values.TryGetValue(property, out var value))
        {
            var before = errors.Count;
            value = Parse(property);
            _values[property] = value;
            if (errors.Count > before)
            {
                _failed.Add(property);
            }
        }

        return (T)value!;
    }

    private T Parse<T>(Property<T> property)
    {
        var entry = property.Assignment(env);
        CheckAliasesAgree(property, entry);
        if (entry is null)
        {
            if (property.Default is null)
            {
                if (property.Required)
                {
                    errors.Add(new ConfigError(env.Values.GetValueOrDefault(property.Name)?.Origin, property.Name, $"is required ({property.Description})"));
                }

                return property.Unset;
            }

            if (property.Parse(property.Default, out var byDefault, out var defaultError))
            {
                return byDefault;
            }

            errors.Add(new ConfigError(EnvOrigin.Default, property.Name, defaultError));
            return property.Unset;
        }

        if (property.Parse(entry.Value, out var result, out var message))
        {
            return result;
        }

        errors.Add(new ConfigError(entry.Origin, entry.Key, message));

        // The default stands in, so rules over several keys do not report the same mistake again.
        return property.Default is not null && property.Parse(property.Default, out var fallback, out _) ? fallback : property.Unset;
    }

    // Cisco spells a few settings two ways; two spellings with different values is a mistake to name, not a precedence to guess.
    private void CheckAliasesAgree(PropertyDefinition property, EnvEntry? first)
    {
        if (first is null || property.Aliases.Count == 0)
        {
            return;
        }

        foreach (var name in property.Names)
        {
            if (env.Values.TryGetValue(name, out var other) && other.Key != first.Key && other.Value.Trim().Length > 0 && other.Value.Trim() != first.Value.Trim())
            {
                errors.Add(new ConfigError(other.Origin, other.Key,
                    $"'{other.Value}' differs from {first.Key}='{first.Value}' ({first.Origin}); both set the {property.Description}: set one of them, or both to the same value"));
            }
        }
    }
}
