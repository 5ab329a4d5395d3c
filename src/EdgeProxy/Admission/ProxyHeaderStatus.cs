namespace EdgeProxy.Admission;

/// <summary>What <see cref="ProxyProtocolParser"/> made of the first bytes of a connection.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>The bytes so far are a valid beginning of a header; read more.</summary>
    NeedMoreData,

    /// <summary>A complete, valid header.</summary>
    Parsed,

    /// <summary>A PROXY signature followed by something the protocol does not allow, or a header over the size bound.</summary>
    Invalid,

    /// <summary>The bytes do not start with a PROXY signature (e.g. a TLS ClientHello).</summary>
    Absent,
}
