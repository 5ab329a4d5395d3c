using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Hosting;

/// <summary>
/// Turns the failures an operator causes at start-up (a port in use, an address not on this host, a privileged port)
/// into one line naming the listener, address, port and setting, and the likely fix; the stack trace says nothing
/// they can act on. Kestrel reports them in three shapes: <see cref="IOException"/> "Failed to bind to address URL"
/// around an <see cref="AddressInUseException"/>, or a bare <see cref="SocketException"/> that names no address (so
/// the listener is found from the settings).
/// </summary>
public static partial class StartupFailure
{
    private const string Prefix = "EdgeProxy did not start: ";

    /// <summary>Whether <see cref="Describe"/> has a line for this exception.</summary>
    public static bool IsKnown(Exception exception) => Kind(exception) is not null;

    /// <summary>
    /// What failed and the likely fix, for the line "EdgeProxy did not start: ..." (event 1005); null for any other
    /// failure, which is logged with its stack trace as before.
    /// </summary>
    public static string? Describe(Exception exception, IReadOnlyList<ListenerBinding> listeners, Func<IPAddress, bool>? isLocal = null)
    {
        isLocal ??= IsLocalAddress;
        switch (Kind(exception))
        {
            case SocketError.AddressAlreadyInUse:
            {
                var listener = Named(exception, listeners) ?? listeners[0];
                return $"the {listener.Name} cannot bind {listener.Endpoint}: the address is already in use by another process. " +
                    $"Stop that process (`ss -ltnp 'sport = :{listener.Port}'` names it) or set {listener.PortKey} to a free port.";
            }

            case SocketError.AddressNotAvailable:
            {
                var listener = Named(exception, listeners) ?? listeners.FirstOrDefault(l => l.Address is { } a && !isLocal(a)) ?? listeners[0];
                return $"the {listener.Name} cannot bind {listener.Endpoint}: {listener.Address} is not an address of this host. " +
                    $"Set {listener.AddressKey} to one of this host's addresses (`ip -brief address`) or leave it empty to listen on all.";
            }

            case SocketError.AccessDenied:
            {
                var listener = Named(exception, listeners) ?? listeners.FirstOrDefault(l => l.Port is > 0 and < 1024) ?? listeners[0];
                return listener.Port is > 0 and < 1024
                    ? $"the {listener.Name} cannot bind {listener.Endpoint}: permission denied, port {listener.Port} is privileged for this user. " +
                        $"Run as root, add the capability NET_BIND_SERVICE, or set --sysctl net.ipv4.ip_unprivileged_port_start={listener.Port} on Podman; " +
                        $"or set {listener.PortKey} to 1024 or above."
                    : $"the {listener.Name} cannot bind {listener.Endpoint}: permission denied. " +
                        $"A security policy (SELinux, AppArmor, a seccomp profile) forbids it; allow the port there or set {listener.PortKey} to another port.";
            }

            default:
                return null;
        }
    }

    /// <summary>
    /// The lines for a configuration that did not load: a missing env file or directory alone (every "is required"
    /// after it follows from it), one error as one line, or each error and a closing count.
    /// </summary>
    public static IReadOnlyList<string> DescribeConfiguration(IReadOnlyList<Configuration.ConfigError> errors)
    {
        const string Check = "run 'EdgeProxy check' with the same arguments for details";
        var missing = errors.Where(e => e.Key is null && e.Origin is { Line: 0 } && e.Message is Configuration.EnvLoader.FileNotFound or Configuration.EnvLoader.DirectoryNotFound).ToList();
        if (missing.Count > 0)
        {
            var others = errors.Count - missing.Count;
            return [.. missing.Select(e => $"{Prefix}{e.Message}: {e.Origin!.Value.Source}. Check the path (--env, --env-dir) and, in a container, the volume mount" +
                (others > 0 ? $"; {others} further error(s) may follow from it ({Check})" : ""))];
        }

        return errors.Count == 1
            ? [$"{Prefix}{errors[0]}; {Check}"]
            : [.. errors.Select(e => $"Configuration error: {e}"), $"{Prefix}{errors.Count} configuration error(s); {Check}"];
    }

    private static SocketError? Kind(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AddressInUseException:
                    return SocketError.AddressAlreadyInUse;
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied } socket:
                    return socket.SocketErrorCode;
            }
        }

        return null;
    }

    // Kestrel names the endpoint only in its IOException: "Failed to bind to address https://127.0.0.1:8443: address already in use."
    private static ListenerBinding? Named(Exception exception, IReadOnlyList<ListenerBinding> listeners)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException && BindMessage().Match(e.Message) is { Success: true } match
                && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url))
            {
                return listeners.FirstOrDefault(l => l.Port == url.Port && (l.Address is null || url.Host.Trim('[', ']') == l.Address.ToString()))
                    ?? listeners.FirstOrDefault(l => l.Port == url.Port);
            }
        }

        return null;
    }

    private static bool IsLocalAddress(IPAddress address) =>
        IPAddress.IsLoopback(address) || NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Any(u => u.Address.Equals(address));

    [GeneratedRegex(@"Failed to bind to address (?<url>\S+?)[:.]?(\s|$)")]
    private static partial Regex BindMessage();
}
