using EdgeProxy.Configuration;

namespace EdgeProxy.Edge;

/// <summary>
/// Classifies request paths from the configured prefixes, once per configuration. Paths that a Java
/// servlet container could normalise differently from us (<c>//</c>, <c>;jsessionid</c>-style
/// parameters, backslashes, encoded slashes) are refused, so a blocked prefix cannot be reached by
/// spelling it another way.
/// </summary>
public sealed class PathPolicy
{
    private readonly string[] _blocked;
    private readonly string[] _dr;
    private readonly string[] _dataConn;

    public PathPolicy(EdgeProxySettings settings)
    {
        _blocked = [.. settings.BlockedPaths];
        _dr = [.. settings.DrPaths];
        _dataConn = [.. settings.DataConnPaths];
    }

    /// <summary>Classifies a decoded request path (as Kestrel gives it: dot segments removed, %2F kept encoded).</summary>
    public EdgeRoute Classify(string path)
    {
        if (path.Length == 0 || path[0] != '/' || path.Contains("//", StringComparison.Ordinal)
            || path.AsSpan().IndexOfAny(";\\\0") >= 0
            || path.Contains("%2f", StringComparison.OrdinalIgnoreCase) || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
            || path.Any(char.IsControl))
        {
            return EdgeRoute.BadPath;
        }

        if (StartsWithAny(path, _blocked))
        {
            return EdgeRoute.Blocked;
        }

        if (StartsWithAny(path, _dr))
        {
            return EdgeRoute.Dr;
        }

        return StartsWithAny(path, _dataConn) ? EdgeRoute.DataConn : EdgeRoute.NotFound;
    }

    // Case-insensitive: a node may treat /DRAPI/ like /drapi/, so blocking must too.
    private static bool StartsWithAny(string path, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || (prefix.EndsWith('/') && path.Length == prefix.Length - 1 && prefix.StartsWith(path, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
