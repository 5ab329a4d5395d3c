namespace EdgeProxy.Admission;

/// <summary>The outcome of <see cref="ProxyProtocolParser.Parse(in System.Buffers.ReadOnlySequence{byte})"/>.</summary>
/// <param name="Header">Set when <paramref name="Status"/> is Parsed.</param>
/// <param name="Length">Bytes the header takes (Parsed only): the connection's data starts after them.</param>
/// <param name="Error">Why the header is invalid, for the log; never quotes the sender's bytes.</param>
public readonly record struct ProxyHeaderResult(ProxyHeaderStatus Status, ProxyHeader? Header, int Length, string? Error)
{
    public static ProxyHeaderResult NeedMoreData => new(ProxyHeaderStatus.NeedMoreData, null, 0, null);

    public static ProxyHeaderResult Absent => new(ProxyHeaderStatus.Absent, null, 0, null);

    public static ProxyHeaderResult Parsed(ProxyHeader header, int length) => new(ProxyHeaderStatus.Parsed, header, length, null);

    public static ProxyHeaderResult Invalid(string error) => new(ProxyHeaderStatus.Invalid, null, 0, error);
}
