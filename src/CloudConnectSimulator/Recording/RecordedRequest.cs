namespace CloudConnectSimulator;

/// <summary>One HTTPS request as the node received it, after the TLS handshake.</summary>
/// <param name="Time">Arrival time, from the node's <see cref="SimulatorOptions.TimeProvider"/>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path (path base included), without the query string.</param>
/// <param name="QueryString">Query string including its leading '?', or empty.</param>
/// <param name="Headers">Request headers; case-insensitive keys, repeated values joined with ", ".</param>
/// <param name="Body">Body text (first 1 MiB, UTF-8) of a request that can have a body (Content-Length or chunked); <c>null</c> for one that cannot.</param>
/// <param name="ClientCertificateSubject">Subject of the verified client certificate.</param>
/// <param name="Protocol">"HTTP/1.1" or "HTTP/2".</param>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    string? ClientCertificateSubject,
    string Protocol);
