namespace EdgeProxy.Configuration;

/// <summary>How a change to a property takes effect on a running proxy; follows from its descriptor's type.</summary>
public enum ReloadBehavior
{
    /// <summary>Applied to new requests on reload (<see cref="ReloadableProperty{T}"/>).</summary>
    Hot,

    /// <summary>Logged as "restart required" on reload (<see cref="StartupProperty{T}"/>).</summary>
    Restart,

    /// <summary>Applied on reload, including when only the referenced file's content changes (<see cref="ReloadableProperty{T}"/>).</summary>
    HotFile,
}
