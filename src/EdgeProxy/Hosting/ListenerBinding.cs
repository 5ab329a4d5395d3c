using System.Net;
using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>A socket EdgeProxy listens on, with the settings that place it (for start-up errors that name the key to change).</summary>
/// <param name="Address">Null: every address (Kestrel's ListenAnyIP).</param>
public sealed record ListenerBinding(string Name, IPAddress? Address, int Port, string AddressKey, string PortKey)
{
    public static IReadOnlyList<ListenerBinding> Of(EdgeProxySettings settings) =>
    [
        new("public listener", settings.BindAddress, settings.Port, PropertyCatalog.BindingIp.Name, PropertyCatalog.Port.Name),
        new("status listener", settings.InternalBindAddress, settings.StatusPort, PropertyCatalog.InternalBindingIp.Name, PropertyCatalog.StatusPort.Name),
    ];

    /// <summary>As an operator writes it: <c>192.0.2.1:8443</c>, <c>[::1]:10001</c>, <c>*:443</c>.</summary>
    public string Endpoint => Address is null ? $"*:{Port}" : new IPEndPoint(Address, Port).ToString();
}
