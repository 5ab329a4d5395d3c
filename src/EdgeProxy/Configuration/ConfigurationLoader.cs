using System.Security.Cryptography;
using System.Text;
using EdgeProxy.Upstreams;

namespace EdgeProxy.Configuration;

/// <summary>The result of loading: a configuration, or every error found; notices either way.</summary>
public sealed record LoadResult(LoadedConfiguration? Configuration, IReadOnlyList<ConfigError> Errors, IReadOnlyList<ConfigNotice> Notices, EnvSet Env);

/// <summary>Reads the env sources, binds and validates settings, loads certificates. Used by start-up, <c>check</c> and reload alike.</summary>
public static class ConfigurationLoader
{
    public static LoadResult Load(EnvSources sources, IReadOnlyDictionary<string, string> processEnvironment, TimeProvider? timeProvider = null)
    {
        var env = EnvLoader.Load(sources, processEnvironment);
        var errors = new List<ConfigError>(env.Errors);
        var notices = new List<ConfigNotice>(env.Notices);
        var settings = SettingsBinder.Bind(env, errors, notices);
        if (settings is null || errors.Count > 0)
        {
            return new LoadResult(null, errors, notices, env);
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();

        // By default the client certificate is the server's (Cisco's setup): load and check those files once,
        // and blame problems on the keys the operator actually set.
        var clientKey = IsSet(env, PropertyCatalog.UpstreamClientCertificate) ? PropertyCatalog.UpstreamClientCertificate.Name : PropertyCatalog.ServerCertificate.Name;
        var clientPrivateKey = IsSet(env, PropertyCatalog.UpstreamClientKey) ? PropertyCatalog.UpstreamClientKey.Name : PropertyCatalog.ServerKey.Name;
        var sharedPair = settings.UpstreamClientCertificatePath == settings.ServerCertificatePath && settings.UpstreamClientKeyPath == settings.ServerKeyPath;
        var server = LoadPair(env, PropertyCatalog.ServerCertificate.Name, PropertyCatalog.ServerKey.Name, settings.ServerCertificatePath, settings.ServerKeyPath, errors);
        var client = sharedPair ? server : LoadPair(env, clientKey, clientPrivateKey, settings.UpstreamClientCertificatePath, settings.UpstreamClientKeyPath, errors);
        var trust = Guard(env, PropertyCatalog.TrustBundle.Name, settings.TrustBundlePath, errors, () => CertificateFiles.LoadBundle(settings.TrustBundlePath));

        if (server is not null)
        {
            CheckCertificate(env, PropertyCatalog.ServerCertificate.Name, server, CertificateFiles.AllowsServerAuth, "serverAuth", now, checkValidity: true, errors, notices);
        }

        if (client is not null)
        {
            CheckCertificate(env, clientKey, client, CertificateFiles.AllowsClientAuth, "clientAuth", now, checkValidity: !sharedPair, errors, notices);
        }

        if (!settings.IsLab && new[] { server?.Certificate, client?.Certificate }.Concat(trust ?? []).Any(c => c is not null && CertificateFiles.IsSample(c)))
        {
            notices.Add(new ConfigNotice(true,
                "!!! SAMPLE CERTIFICATES IN USE: the certs-sample/ keys are public. Anyone can impersonate this proxy or a node. " +
                "Use them only in the lab (EDGEPROXY_ENVIRONMENT=lab) !!!"));
        }

        if (errors.Count > 0 || server is null || client is null || trust is null)
        {
            return new LoadResult(null, errors, notices, env);
        }

        var version = ComputeVersion(settings, env);
        return new LoadResult(new LoadedConfiguration(settings, server, client, trust, version, env), errors, notices, env);
    }

    /// <summary>The effective value of every catalog property, with where it came from.</summary>
    public static IEnumerable<(PropertyDefinition Property, string? Value, EnvOrigin Origin)> Effective(EnvSet env) =>
        PropertyCatalog.All.Select(p =>
        {
            var (value, origin, _) = p.Effective(env);
            return (p, value, origin);
        });

    private static bool IsSet(EnvSet env, PropertyDefinition property) => property.Assignment(env) is not null;

    private static CertificateWithChain? LoadPair(EnvSet env, string key, string privateKeyKey, string certificatePath, string keyPath, List<ConfigError> errors)
    {
        if (File.Exists(certificatePath) && !File.Exists(keyPath))
        {
            var problem = Directory.Exists(keyPath) ? "a directory, not a key file" : "file not found";
            errors.Add(new ConfigError(env.Values.GetValueOrDefault(privateKeyKey)?.Origin, privateKeyKey, $"cannot load '{keyPath}': {problem}"));
            return null;
        }

        if (File.Exists(keyPath) && !Readable(keyPath))
        {
            errors.Add(new ConfigError(env.Values.GetValueOrDefault(privateKeyKey)?.Origin, privateKeyKey,
                $"cannot read '{keyPath}': permission denied for user {Environment.UserName}; make the key readable by that user (the image runs as uid 10001: e.g. mode 0640, group 10001)"));
            return null;
        }

        return Guard(env, key, certificatePath, errors, () => CertificateFiles.LoadWithKey(certificatePath, keyPath));
    }

    private static bool Readable(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static T? Guard<T>(EnvSet env, string key, string path, List<ConfigError> errors, Func<T> load) where T : class
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            errors.Add(new ConfigError(env.Values.GetValueOrDefault(key)?.Origin, key, $"cannot load '{path}': {ex.Message}"));
            return null;
        }
    }

    private static void CheckCertificate(EnvSet env, string key, CertificateWithChain loaded, Func<System.Security.Cryptography.X509Certificates.X509Certificate2, bool> allows,
        string usage, DateTimeOffset now, bool checkValidity, List<ConfigError> errors, List<ConfigNotice> notices)
    {
        var certificate = loaded.Certificate;
        var origin = env.Values.GetValueOrDefault(key)?.Origin;
        if (!allows(certificate))
        {
            errors.Add(new ConfigError(origin, key, $"certificate '{certificate.Subject}' does not allow {usage} (extended key usage)"));
        }

        if (!checkValidity)
        {
            return;
        }

        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            errors.Add(new ConfigError(origin, key, $"certificate '{certificate.Subject}' expired on {certificate.NotAfter.ToUniversalTime():u}"));
        }
        else if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(30))
        {
            notices.Add(new ConfigNotice(true, $"{key}: certificate '{certificate.Subject}' expires on {certificate.NotAfter.ToUniversalTime():u}"));
        }
    }

    // Hash of every effective value and of the certificate files, so a changed file gives a new version.
    private static string ComputeVersion(EdgeProxySettings settings, EnvSet env)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (property, value, _) in Effective(env))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{property.Name}={value}\n"));
        }

        foreach (var path in new[] { settings.ServerCertificatePath, settings.ServerKeyPath, settings.UpstreamClientCertificatePath, settings.UpstreamClientKeyPath, settings.TrustBundlePath }.Distinct())
        {
            hash.AppendData(File.ReadAllBytes(path));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
