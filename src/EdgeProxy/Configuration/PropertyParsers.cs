using System.Net;
using EdgeProxy.Admission;

namespace EdgeProxy.Configuration;

/// <summary>The parsers <see cref="PropertyCatalog"/> gives its descriptors, built on <see cref="ValueParsers"/>; each error says what would be valid.</summary>
public static class PropertyParsers
{
    public static ValueParser<int> Int(int min, int max) =>
        (string value, out int result, out string error) => ValueParsers.TryParseInt(value, min, max, out result, out error);

    /// <summary>Cisco's health-check times: a bare number is milliseconds; at least <paramref name="minimum"/> ms.</summary>
    public static ValueParser<TimeSpan> Milliseconds(int minimum) =>
        (string value, out TimeSpan result, out string error) =>
        {
            if (!ValueParsers.TryParseDuration(value, TimeSpan.FromMilliseconds(1), out result, out error))
            {
                return false;
            }

            error = result < TimeSpan.FromMilliseconds(minimum) ? $"must be at least {minimum} ms" : "";
            return error.Length == 0;
        };

    /// <summary>nginx directive times: a bare number is seconds.</summary>
    public static bool TryParseSeconds(string value, out TimeSpan result, out string error) =>
        ValueParsers.TryParseDuration(value, TimeSpan.FromSeconds(1), out result, out error);

    public static bool TryParsePath(string value, out string path, out string error)
    {
        path = value.Trim();
        error = path.Length > 0 && path.IndexOfAny(['\0', '\n']) < 0 ? "" : $"'{value}' is not a file path";
        return error.Length == 0;
    }

    /// <summary>An optional path: the same grammar, typed so that "not set" is null.</summary>
    public static bool TryParseOptionalPath(string value, out string? path, out string error)
    {
        var ok = TryParsePath(value, out var parsed, out error);
        path = parsed;
        return ok;
    }

    public static bool TryParseNetworks(string value, out IReadOnlyList<IPNetwork> networks, out string error)
    {
        var list = new List<IPNetwork>();
        networks = list;
        error = "";
        var problems = new List<string>();
        foreach (var part in ValueParsers.SplitList(value))
        {
            if (IpAddressGrammar.TryParseNetwork(part, out var network, out var problem))
            {
                list.Add(network);
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (problems.Count == 0)
        {
            return true;
        }

        error = problems.Count == 1 ? problems[0] : $"{problems.Count} invalid entries: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; ..." : "")}";
        return false;
    }

    public static bool TryParseAddress(string value, out IPAddress? address, out string error)
    {
        error = IpAddressGrammar.TryParseAddress(value.AsSpan().Trim(), out address) ? "" : $"'{value}' is not an IP address";
        return address is not null;
    }

    public static bool TryParseLoopbackDefaultAddress(string value, out IPAddress address, out string error)
    {
        var ok = TryParseAddress(value, out var parsed, out error);
        address = parsed ?? IPAddress.Loopback;
        return ok;
    }

    public static bool TryParseHostName(string value, out string host, out string error)
    {
        host = value.Trim();
        error = ValueParsers.IsValidHost(host) ? "" : $"'{value}' is not a host name (e.g. cloudconnect-proxy.example.com)";
        return error.Length == 0;
    }

    public static bool TryParseHeaderName(string value, out string? header, out string error)
    {
        header = value.Trim();
        error = ValueParsers.IsValidHeaderName(header) ? "" : $"'{value}' is not an HTTP header name";
        return error.Length == 0;
    }

    public static bool TryParseRequiredHeaderName(string value, out string header, out string error)
    {
        var ok = TryParseHeaderName(value, out var parsed, out error);
        header = parsed ?? "";
        return ok;
    }

    public static bool TryParseProbePath(string value, out string path, out string error)
    {
        path = value.Trim();
        error = path.StartsWith('/') && !path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "" : $"'{value}' is not a path (e.g. /drapi/v1/ping)";
        return error.Length == 0;
    }

    public static bool TryParseNode(string value, out NodeAddress address, out string error)
    {
        var ok = ValueParsers.TryParseNodeAddress(value, out var parsed, out error);
        address = parsed ?? NodeAddress.Unset;
        return ok;
    }

    public static bool TryParseLogFormat(string value, out LogFormat format, out string error)
    {
        error = "";
        (var ok, format) = value.Trim().ToLowerInvariant() switch
        {
            "json" => (true, LogFormat.Json),
            "text" => (true, LogFormat.Text),
            _ => (false, LogFormat.Json),
        };
        if (!ok)
        {
            error = $"'{value}' is not a log format (json or text)";
        }

        return ok;
    }

    /// <summary><c>lab</c> or <c>production</c>; true for the lab.</summary>
    public static bool TryParseEnvironment(string value, out bool isLab, out string error)
    {
        var text = value.Trim().ToLowerInvariant();
        isLab = text == "lab";
        error = text is "lab" or "production" ? "" : $"'{value}' is not an environment (lab or production)";
        return error.Length == 0;
    }

    /// <summary>nginx's <c>proxy_ssl_verify</c>, where EdgeProxy accepts only <c>on</c>.</summary>
    public static bool TryParseVerifyOn(string value, out bool verify, out string error)
    {
        if (!ValueParsers.TryParseBool(value, out verify, out error))
        {
            return false;
        }

        error = verify ? "" : "EdgeProxy always verifies Cloud Connect node certificates; set it to 'on' or remove it";
        return verify;
    }
}
