using EdgeProxy.Configuration;

namespace EdgeProxy.Tests.Support;

/// <summary>Env-file helpers. The process environment is always an explicit dictionary, never the real one.</summary>
internal static class TestEnv
{
    /// <summary>The six keys without a default, with values that parse (the certificate files need not exist).</summary>
    public const string RequiredKeys = """
        NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy.example.com
        NGX_CLOUDCONNECT_HOSTNAME=publisher.example.com
        NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=subscriber.example.com
        NGX_SSL_CRT=/certs/proxy.crt
        NGX_SSL_KEY=/certs/proxy.key
        NGX_PRXY_SSL_TRUST_CRT=/certs/ca.crt
        """;

    /// <summary>
    /// A complete lab configuration on the committed sample certificates (it loads, certificates included): nodes on
    /// 127.0.0.11 and 127.0.0.12, admitted <paramref name="clients"/>, then <paramref name="extraLines"/>.
    /// </summary>
    public static string LabEnv(string clients, params string[] extraLines)
    {
        var certificates = RepositoryPaths.SampleCertificates;
        return string.Join('\n', [
            "NGX_PRXY_CLOUDCONNECT_HOSTNAME=proxy.example.com",
            "NGX_CLOUDCONNECT_HOSTNAME=127.0.0.11",
            "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=127.0.0.12",
            $"NGX_SSL_CRT={certificates}/proxy.crt",
            $"NGX_SSL_KEY={certificates}/proxy.key",
            $"NGX_PRXY_SSL_TRUST_CRT={certificates}/ca.crt",
            $"NGX_CLOUDCONNECT_CLIENT_IPS={clients}",
            "EDGEPROXY_ENVIRONMENT=lab",
            .. extraLines,
        ]) + "\n";
    }

    public static IReadOnlyDictionary<string, string> NoProcessEnvironment { get; } = new Dictionary<string, string>();

    public static EnvSet LoadFile(string path, IReadOnlyDictionary<string, string>? processEnvironment = null) =>
        EnvLoader.Load(new EnvSources([path], []), processEnvironment ?? NoProcessEnvironment);

    /// <summary>Loads the text as one env file, then binds it.</summary>
    public static Bound Bind(TempDirectory directory, string text, IReadOnlyDictionary<string, string>? processEnvironment = null)
    {
        var path = directory.Write("test.env", text);
        var env = LoadFile(path, processEnvironment);
        var errors = new List<ConfigError>(env.Errors);
        var notices = new List<ConfigNotice>(env.Notices);
        var settings = SettingsBinder.Bind(env, errors, notices);
        return new Bound(path, env, settings, errors, notices);
    }

    public static EnvSet EnvSetOf(params (string Key, string Value)[] values) =>
        new(values.Select((v, i) => new EnvEntry(v.Key, v.Value, new EnvOrigin("test.env", i + 1))).ToDictionary(e => e.Key), [], [], []);

    internal sealed record Bound(string Path, EnvSet Env, EdgeProxySettings? Settings, List<ConfigError> Errors, List<ConfigNotice> Notices);
}
