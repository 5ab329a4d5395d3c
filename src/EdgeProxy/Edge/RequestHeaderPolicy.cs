using System.Buffers;

namespace EdgeProxy.Edge;

/// <summary>
/// What a client may not pass to a node, by rule rather than by a list of exact names (a list always misses
/// the next spelling): every header that describes the connection or the original request (forwarding,
/// client-address, original-URL and client-certificate headers), every header name with an underscore
/// (nginx's <c>underscores_in_headers off</c>: <c>X_Forwarded_For</c> may reach an application as
/// <c>X-Forwarded-For</c>), and <c>Upgrade</c> (Cloud Connect takes no tunnels). Header values with control
/// characters are refused whole.
/// </summary>
public static class RequestHeaderPolicy
{
    // Prefixes of names that describe the connection or the request's origin; case-insensitive.
    private static readonly string[] StrippedPrefixes = ["X-Forwarded-", "Forwarded", "X-Client-", "X-Original-", "X-Real-", "X-Cluster-Client-"];

    private static readonly HashSet<string> StrippedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Real-IP", "Client-IP", "True-Client-IP", "CF-Connecting-IP", "X-Originating-IP", "X-Remote-IP", "X-Remote-Addr",
        "X-ProxyUser-Ip", "Fastly-Client-IP", "X-Rewrite-URL", "X-Host", "X-HTTP-Host-Override", "X-Proxy-URL", "X-SSL-Client-Cert",
        "X-ARR-ClientCert", "Upgrade", "HTTP2-Settings",
    };

    // RFC 9110 field values: no CTL except HTAB. CR, LF and NUL are refused by Kestrel itself.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f");

    /// <summary>True when the client's header <paramref name="name"/> is never passed to a node.</summary>
    public static bool IsStripped(string name)
    {
        if (name.Contains('_') || StrippedNames.Contains(name))
        {
            return true;
        }

        foreach (var prefix in StrippedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name of the first header whose value holds a control character, or null when all are clean.</summary>
    public static string? FindControlCharacter(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null && value.AsSpan().ContainsAny(ControlCharacters))
                {
                    return name;
                }
            }
        }

        return null;
    }
}
