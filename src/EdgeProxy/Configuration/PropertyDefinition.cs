namespace EdgeProxy.Configuration;

/// <summary>How a change to a property takes effect on a running proxy.</summary>
public enum ReloadBehavior
{
    /// <summary>Applied to new requests on reload.</summary>
    Hot,

    /// <summary>Logged as "restart required" on reload.</summary>
    Restart,

    /// <summary>Applied on reload, including when only the referenced file's content changes.</summary>
    HotFile,
}

/// <summary>One env property EdgeProxy honours.</summary>
/// <param name="Name">The env key.</param>
/// <param name="Default">The raw default value, or null when the property is required or has no value by default.</param>
/// <param name="Required">Whether start-up fails without it.</param>
/// <param name="Reload">How a change applies.</param>
/// <param name="Masked">Whether <c>check</c> hides the value (private key paths).</param>
/// <param name="Description">One line for the operator.</param>
public sealed record PropertyDefinition(string Name, string? Default, bool Required, ReloadBehavior Reload, bool Masked, string Description);
