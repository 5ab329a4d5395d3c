using System.Net;
using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>
/// Where <c>EdgeProxy health</c> finds the running proxy's status listener: <c>PROXY_BINDING_INTERNAL_IP</c> (or <c>NGX_PRXY_STATUS_IP</c>) and
/// <c>NGX_PRXY_STATUS_PORT</c> from the same env sources as <c>serve</c>, and nothing else, so an error elsewhere
/// in the files never stops the probe.
/// </summary>
public static class HealthProbeTarget
{
    public const string Path = "/healthz";

    private static readonly PropertyDefinition[] Properties = [PropertyCatalog.InternalBindingIp, PropertyCatalog.StatusPort];

    /// <summary>Resolves the status endpoint, or says why it cannot be known.</summary>
    public static bool TryResolve(EnvSet env, out Uri uri, out string error)
    {
        uri = null!;

        // An env source that could not be read may be the one that sets the address (file-level errors have no key and no line).
        var blocking = env.Errors.FirstOrDefault(e => e.Key is { } key ? Properties.Any(p => p.Names.Contains(key)) : e.Origin is not { IsFile: true });
        if (blocking is not null)
        {
            error = $"cannot tell where the status listener is: {blocking}";
            return false;
        }

        // The address is read as serve reads it (its alias NGX_PRXY_STATUS_IP included).
        var errors = new List<ConfigError>();
        var address = new SettingsReader(env, errors).Get(PropertyCatalog.InternalBindingIp);
        if (errors.Count > 0)
        {
            error = errors[0].ToString();
            return false;
        }

        // Port 0 (ephemeral) cannot be probed from another process.
        var (portText, portOrigin, _) = PropertyCatalog.StatusPort.Effective(env);
        if (!ValueParsers.TryParseInt(portText ?? "", 1, 65535, out var port, out var portError))
        {
            error = $"{portOrigin}: {PropertyCatalog.StatusPort.Name}: {portError}";
            return false;
        }

        uri = new Uri($"http://{new IPEndPoint(ProbeAddress(address), port)}{Path}");
        error = "";
        return true;
    }

    /// <summary>A listener on every address (0.0.0.0 or ::) is reached through loopback of the same family.</summary>
    public static IPAddress ProbeAddress(IPAddress listenAddress) =>
        listenAddress.Equals(IPAddress.Any) ? IPAddress.Loopback
        : listenAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
        : listenAddress;
}
