namespace EdgeProxy.Configuration;

/// <summary>A configuration problem, located by origin and key, phrased so an operator can fix it.</summary>
public sealed record ConfigError(EnvOrigin? Origin, string? Key, string Message)
{
    public override string ToString()
    {
        var where = Origin is { } origin ? origin + ": " : "";
        var key = Key is null ? "" : Key + ": ";
        return where + key + Message;
    }
}
