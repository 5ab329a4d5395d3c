namespace EdgeProxy.Configuration;

/// <summary>Optional traits of a <see cref="PropertyDefinition"/>.</summary>
[Flags]
public enum PropertyFlags
{
    None = 0,

    /// <summary>Start-up fails without a value; such a property has no default.</summary>
    Required = 1,

    /// <summary><c>check</c> prints <c>&lt;masked&gt;</c> instead of the value.</summary>
    Masked = 2,
}
