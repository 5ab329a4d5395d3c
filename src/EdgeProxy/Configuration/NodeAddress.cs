namespace EdgeProxy.Configuration;

/// <summary>A Cloud Connect node as <c>host[:port]</c>; the port defaults to 8445.</summary>
public sealed record NodeAddress(string Host, int Port)
{
    public const int DefaultPort = 8445;

    /// <summary>Stands in for a required node that is missing or invalid; binding then fails, so it is never used.</summary>
    public static NodeAddress Unset { get; } = new("invalid", DefaultPort);

    /// <summary>The https base address of the node, with IPv6 hosts bracketed.</summary>
    public Uri BaseUri => new UriBuilder(Uri.UriSchemeHttps, Host, Port).Uri;

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
