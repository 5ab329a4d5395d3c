using static EdgeProxy.Configuration.PropertyCatalog;

namespace EdgeProxy.Configuration;

/// <summary>
/// Turns the merged env values into <see cref="EdgeProxySettings"/> through the descriptors of <see cref="PropertyCatalog"/>,
/// then checks the rules that span several keys. Collects every error (key, file, line, what is valid) instead of
/// stopping at the first, like YARP's config validators.
/// </summary>
public static class SettingsBinder
{
    public static EdgeProxySettings? Bind(EnvSet env, List<ConfigError> errors, List<ConfigNotice> notices) =>
        Bind(new SettingsReader(env, errors), errors, notices);

    internal static EdgeProxySettings? Bind(SettingsReader reader, List<ConfigError> errors, List<ConfigNotice> notices)
    {
        var settings = new EdgeProxySettings(new StartupSettings(new StartupReader(reader)), new ReloadableSettings(new ReloadableReader(reader)));
        CheckRules(reader, settings, notices);
        return errors.Count == 0 ? settings : null;
    }

    // Cross-property rules: Cisco's load-balancer pairing, and keys accepted only for compatibility.
    private static void CheckRules(SettingsReader r, EdgeProxySettings s, List<ConfigNotice> notices)
    {
        // An invalid NGX_LOAD_BALANCER_IPS is already reported; calling it "empty" as well would mislead.
        var loadBalancersInvalid = r.Failed(LoadBalancerIps);
        if (s.RealIpHeader is not null && s.LoadBalancerNetworks.Count == 0 && !loadBalancersInvalid)
        {
            r.Error(PropertyCatalog.RealIpHeader, $"is set but {LoadBalancerIps.Name} is empty; set both (trusted load balancers and their client-address header) or neither");
        }

        if (s.RealIpHeader is null && s.LoadBalancerNetworks.Count > 0)
        {
            r.Error(LoadBalancerIps, $"is set but {PropertyCatalog.RealIpHeader.Name} is empty; set both (e.g. {PropertyCatalog.RealIpHeader.Name}=X-Forwarded-For) or neither");
        }

        if (s.TrafficRestricted && s.LoadBalancerNetworks.Count == 0 && !loadBalancersInvalid)
        {
            r.Error(PropertyCatalog.TrafficRestricted, $"is true but {LoadBalancerIps.Name} is empty, so no peer could connect");
        }

        var verifyProbes = r.Get(HealthCheckSslVerify);
        if (r.IsSet(HealthCheckSslVerify) && !verifyProbes)
        {
            notices.Add(new ConfigNotice(true, $"{HealthCheckSslVerify.Name}=FALSE is ignored: health probes always use the same verified mutual TLS as traffic"));
        }

        var concurrency = r.Get(HealthCheckConcurrency);
        if (r.IsSet(HealthCheckConcurrency) && !r.Failed(HealthCheckConcurrency))
        {
            notices.Add(new ConfigNotice(false, $"{HealthCheckConcurrency.Name}={concurrency} has no effect: EdgeProxy always probes the two nodes concurrently"));
        }

        // Prefixes match case-insensitively, and a request matching both would silently go to DR: any prefix overlap is an error.
        foreach (var dataConn in s.DataConnPaths)
        {
            foreach (var dr in s.DrPaths)
            {
                if (dataConn.Equals(dr, StringComparison.OrdinalIgnoreCase))
                {
                    r.Error(PropertyCatalog.DataConnPaths, $"'{dataConn}' is also in {PropertyCatalog.DrPaths.Name}; a path goes to one place only");
                }
                else if (dataConn.StartsWith(dr, StringComparison.OrdinalIgnoreCase) || dr.StartsWith(dataConn, StringComparison.OrdinalIgnoreCase))
                {
                    r.Error(PropertyCatalog.DataConnPaths, $"'{dataConn}' overlaps '{dr}' in {PropertyCatalog.DrPaths.Name}; a path goes to one place only");
                }
            }
        }

        if (s.Publisher == s.Subscriber && s.Publisher != NodeAddress.Unset)
        {
            notices.Add(new ConfigNotice(true, $"{PropertyCatalog.Publisher.Name} and {PropertyCatalog.Subscriber.Name} are the same node ({s.Publisher}); there is no failover"));
        }
    }
}
