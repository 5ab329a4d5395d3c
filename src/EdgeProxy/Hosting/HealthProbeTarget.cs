using System.Net;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>
/// Where <c>EdgeProxy health</c> finds the running proxy's status listener: <c>PROXY_BINDING_INTERNAL_IP</c> and
/// <c>NGX_PRXY_STATUS_PORT</c> from the same env sources as <c>serve</c>, and nothing else, so an error elsewhere
/// in the files never stops the probe.
/// </summary>
public static class HealthProbeTarget
{
    public const string Path = "/healthz";

    private static readonly string[] Keys = [EnvKeys.InternalBindingIp, EnvKeys.StatusPort];

    /// <summary>Resolves the status endpoint, or says why it cannot be known.</summary>
    public static bool TryResolve(EnvSet env, out Uri uri, out string error)
    {
        uri = null!;

        // An env source that could not be read may be the one that sets the address (file-level errors have no key and no line).
        var blocking = env.Errors.FirstOrDefault(e => e.Key is { } key ? Keys.Contains(key) : e.Origin is not { IsFile: true });
        if (blocking is not null)
        {
            error = $"cannot tell where the status listener is: {blocking}";
            return false;
        }

        var values = ConfigurationLoader.Effective(env).Where(p => Keys.Contains(p.Property.Name))
            .ToDictionary(p => p.Property.Name, p => (Value: p.Value ?? "", p.Origin));
        var (addressText, addressOrigin) = values[EnvKeys.InternalBindingIp];
        var (portText, portOrigin) = values[EnvKeys.StatusPort];

        if (!IpAddressGrammar.TryParseAddress(addressText.AsSpan().Trim(), out var address))
        {
            error = $"{addressOrigin}: {EnvKeys.InternalBindingIp}: '{addressText}' is not an IP address";
            return false;
        }

        // Port 0 (ephemeral) cannot be probed from another process.
        if (!ValueParsers.TryParseInt(portText, 1, 65535, out var port, out var portError))
        {
            error = $"{portOrigin}: {EnvKeys.StatusPort}: {portError}";
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
