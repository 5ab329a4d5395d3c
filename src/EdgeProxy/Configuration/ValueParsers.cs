using System.Globalization;
using System.Security.Authentication;
using EdgeProxy.Admission;
using Serilog.Events;

namespace EdgeProxy.Configuration;

/// <summary>
/// Parsers for the value forms Cisco's env files use (nginx sizes, times and rates, code sets, lists).
/// Each returns false with a message that says what would be valid.
/// </summary>
public static class ValueParsers
{
    private static readonly char[] ListSeparators = ['|', ',', ' ', '\t'];

    /// <summary>Splits a list value: Cisco's <c>|</c>, commas or white space.</summary>
    public static string[] SplitList(string value) =>
        value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool TryParseBool(string value, out bool result, out string error)
    {
        error = "";
        switch (value.Trim().ToLowerInvariant())
        {
            case "true" or "on" or "yes" or "1":
                result = true;
                return true;
            case "false" or "off" or "no" or "0":
                result = false;
                return true;
            default:
                result = false;
                error = $"'{value}' is not a boolean (use true/false or on/off)";
                return false;
        }
    }

    public static bool TryParseInt(string value, int min, int max, out int result, out string error)
    {
        error = "";
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max)
        {
            return true;
        }

        error = $"'{value}' is not a whole number from {min} to {max}";
        return false;
    }

    /// <summary>nginx sizes: <c>1024</c>, <c>8k</c>, <c>15m</c>, <c>1g</c>.</summary>
    public static bool TryParseSize(string value, out long bytes, out string error)
    {
        error = "";
        var text = value.Trim();
        long multiplier = 1;
        if (text.Length > 0 && char.ToLowerInvariant(text[^1]) is 'k' or 'm' or 'g')
        {
            multiplier = char.ToLowerInvariant(text[^1]) switch { 'k' => 1L << 10, 'm' => 1L << 20, _ => 1L << 30 };
            text = text[..^1];
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= long.MaxValue / multiplier)
        {
            bytes = number * multiplier;
            return true;
        }

        bytes = 0;
        error = $"'{value}' is not a size (e.g. 1048576, 512k, 15m, 1g)";
        return false;
    }

    /// <summary>
    /// nginx times: <c>10s</c>, <c>500ms</c>, <c>1m</c>, <c>1h 30m</c>. A bare number is in
    /// <paramref name="bareUnit"/> (seconds for nginx directives, milliseconds for Cisco's health-check keys).
    /// </summary>
    public static bool TryParseDuration(string value, TimeSpan bareUnit, out TimeSpan result, out string error)
    {
        error = "";
        result = TimeSpan.Zero;
        var text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare) && bare <= int.MaxValue)
        {
            result = bareUnit * bare;
            return true;
        }

        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var unit = text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                "d" => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            if (unitStart == start || unit == TimeSpan.Zero
                || !int.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{value}' is not a time (e.g. 10s, 500ms, 1m, 1h 30m)";
                return false;
            }

            try
            {
                result += unit * number;
            }
            catch (OverflowException)
            {
                error = $"'{value}' is not a time (e.g. 10s, 500ms, 1m, 1h 30m)";
                return false;
            }

            any = true;
        }

        if (!any)
        {
            error = $"'{value}' is not a time (e.g. 10s, 500ms, 1m, 1h 30m)";
        }

        return any;
    }

    /// <summary>nginx <c>limit_req</c> rates: <c>100r/s</c>, <c>5r/m</c>.</summary>
    public static bool TryParseRate(string value, out RequestRate rate, out string error)
    {
        error = "";
        rate = default;
        var text = value.Trim();
        var marker = text.IndexOf("r/", StringComparison.Ordinal);
        if (marker > 0 && marker == text.Length - 3
            && int.TryParse(text.AsSpan(0, marker), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            && text[^1] is 's' or 'm')
        {
            rate = new RequestRate(count, text[^1] == 's' ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1));
            return true;
        }

        error = $"'{value}' is not a rate (e.g. 100r/s or 5r/m, more than zero)";
        return false;
    }

    /// <summary>HTTP status code sets as Cisco writes them: <c>{200}</c>, <c>{200,204}</c>, <c>200|204</c>.</summary>
    public static bool TryParseStatusCodes(string value, out IReadOnlySet<int> codes, out string error)
    {
        error = "";
        var set = new SortedSet<int>();
        foreach (var part in SplitList(value.Trim().TrimStart('{').TrimEnd('}')))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                codes = set;
                error = $"'{part}' in '{value}' is not an HTTP status code (100-599); write e.g. {{200}} or 200|204";
                return false;
            }

            set.Add(code);
        }

        codes = set;
        if (set.Count == 0)
        {
            error = "no status code given; write e.g. {200} or 200|204";
            return false;
        }

        return true;
    }

    /// <summary>A node address <c>host[:port]</c>, <c>[ipv6]:port</c> or a bare IPv6 address.</summary>
    public static bool TryParseNodeAddress(string value, out NodeAddress? address, out string error)
    {
        error = "";
        address = null;
        var text = value.Trim();
        string host;
        string? portText = null; // null: no port given; "" after a colon: an empty port, which is an error
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? text[1..close] : "";
            var rest = close > 0 ? text[(close + 1)..] : "x";
            if (rest.Length > 0 && (rest[0] != ':' || rest.Length == 1))
            {
                host = "";
            }

            portText = rest.Length > 1 ? rest[1..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        else
        {
            host = text;
        }

        var port = NodeAddress.DefaultPort;
        if (portText is not null && !TryParseInt(portText, 1, 65535, out port, out _))
        {
            error = $"'{value}' has an invalid port (1-65535)";
            return false;
        }

        if (!IsValidHost(host))
        {
            error = $"'{value}' is not host[:port] (a DNS name or IP address, optional port, default {NodeAddress.DefaultPort})";
            return false;
        }

        address = new NodeAddress(host, port);
        return true;
    }

    /// <summary>A DNS host name (RFC 1123 labels) or an IP address in the one address grammar (no zone, no port).</summary>
    public static bool IsValidHost(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        if (IpAddressGrammar.TryParseAddress(host, out _))
        {
            return true;
        }

        var labels = host.TrimEnd('.').Split('.');

        // A resolver reads a name ending in a number as an address ("10.1", "0x7f.0.0.1"), which the grammar refused.
        if (IsNumber(labels[^1]))
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNumber(string label) =>
        label.Length > 0 && (label.All(char.IsAsciiDigit) || (label.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && label[2..].All(char.IsAsciiHexDigit)));

    /// <summary>nginx <c>error_log</c> levels mapped to Serilog levels.</summary>
    public static bool TryParseLogLevel(string value, out LogEventLevel level, out string error)
    {
        error = "";
        (var ok, level) = value.Trim().ToLowerInvariant() switch
        {
            "debug" => (true, LogEventLevel.Debug),
            "info" or "notice" => (true, LogEventLevel.Information),
            "warn" or "warning" => (true, LogEventLevel.Warning),
            "error" => (true, LogEventLevel.Error),
            "crit" or "alert" or "emerg" => (true, LogEventLevel.Fatal),
            _ => (false, LogEventLevel.Information),
        };
        if (!ok)
        {
            error = $"'{value}' is not a log level (debug, info, notice, warn, error, crit, alert, emerg)";
        }

        return ok;
    }

    /// <summary>
    /// nginx <c>ssl_protocols</c>. Only TLS 1.2 and 1.3 are accepted; TLSv1.2 alone also enables
    /// TLS 1.3 (Cisco's default predates it and nothing is weakened by adding it).
    /// </summary>
    public static bool TryParseTlsProtocols(string value, out SslProtocols protocols, out string error)
    {
        error = "";
        protocols = SslProtocols.None;
        foreach (var part in SplitList(value))
        {
            switch (part.ToLowerInvariant())
            {
                case "tlsv1.2":
                    protocols |= SslProtocols.Tls12 | SslProtocols.Tls13;
                    break;
                case "tlsv1.3":
                    protocols |= SslProtocols.Tls13;
                    break;
                case "sslv2" or "sslv3" or "tlsv1" or "tlsv1.1":
                    error = $"{part} is insecure and not supported; use TLSv1.2 and/or TLSv1.3";
                    return false;
                default:
                    error = $"'{part}' is not a TLS version (TLSv1.2, TLSv1.3)";
                    return false;
            }
        }

        if (protocols == SslProtocols.None)
        {
            error = "no TLS version given (TLSv1.2, TLSv1.3)";
            return false;
        }

        return true;
    }

    /// <summary>A list of URL path prefixes, each starting with '/'.</summary>
    public static bool TryParsePathPrefixes(string value, out IReadOnlyList<string> prefixes, out string error)
    {
        error = "";
        var list = SplitList(value);
        prefixes = list;
        foreach (var prefix in list)
        {
            if (prefix[0] != '/' || prefix.Contains("//", StringComparison.Ordinal) || prefix.Any(c => c is ';' or '\\' or '?' or '#' || char.IsControl(c)))
            {
                error = $"'{prefix}' is not a path prefix (must start with '/', no '//', ';', '?', '#' or '\\')";
                return false;
            }
        }

        return true;
    }

    /// <summary>An HTTP header name (RFC 9110 token).</summary>
    public static bool IsValidHeaderName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
