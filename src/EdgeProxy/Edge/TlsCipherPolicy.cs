using System.Reflection;

namespace EdgeProxy.Edge;

/// <summary>
/// Where the AEAD-only cipher policy of inbound TLS is enforced. .NET caches one OpenSSL context per
/// certificate (and resumes TLS sessions) only for connections without a <c>CipherSuitesPolicy</c>; with
/// one, every handshake builds a new context, which halved the new-connection rate (bench/README.md).
/// So when OpenSSL was started with EdgeProxy's own configuration (<c>OPENSSL_CONF</c> naming
/// <c>openssl-edgeproxy.cnf</c>, as the container image does), the policy is left to OpenSSL; otherwise
/// it is applied per connection. Either way only ECDHE with AEAD ciphers is negotiated.
/// </summary>
public static class TlsCipherPolicy
{
    public const string FileName = "openssl-edgeproxy.cnf";

    public const string Variable = "OPENSSL_CONF";

    /// <summary>The shipped configuration's text.</summary>
    public static string ExpectedText { get; } = ReadExpected();

    // After ExpectedText: static initialisers run in order.
    /// <summary>True when the process's OpenSSL configuration is EdgeProxy's (read once: OpenSSL reads it once, at start).</summary>
    public static bool FromOpenSslConfiguration { get; } = IsEdgeProxyConfiguration(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Whether <paramref name="path"/> names a file with exactly the shipped configuration.</summary>
    public static bool IsEdgeProxyConfiguration(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        try
        {
            return File.ReadAllText(path) == ExpectedText;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ReadExpected()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"{FileName} is not embedded in EdgeProxy");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
